import SparkLedgerCore
import Testing

/// Contract §6 with OpenCost's default prices, against numbers worked out by hand.
@Suite struct CostModelTests {
    let model = CostModel(prices: .openCostDefaults)

    @Test func defaultsAreOpenCosts() {
        let prices = PriceConfiguration.openCostDefaults
        #expect(prices.cpuCoreHour == 0.031611)
        #expect(prices.spotCPUCoreHour == 0.006655)
        #expect(prices.ramGiBHour == 0.004237)
        #expect(prices.spotRAMGiBHour == 0.000892)
    }

    @Test func onDemandExecutors() {
        // 10 core-hours and 40 GiB-hours on demand: 10 × 0.031611 + 40 × 0.004237 = 0.31611 + 0.16948 = 0.48559.
        let cost = model.cost(executorCoreSeconds: 36_000, executorMemoryMBSeconds: 40 * 1024 * 3600,
                              driverCoreSeconds: 0, driverMemoryMBSeconds: 0, spotFraction: 0)
        #expect(abs(cost - 0.48559) < 1e-12)
    }

    @Test func spotSplitsExecutorTimeButNotTheDriver() {
        // Executors: 8 core-hours, 32 GiB-hours, 75% spot.
        //   CPU 8 × (0.75 × 0.006655 + 0.25 × 0.031611) = 8 × 0.01289400 = 0.10315200
        //   RAM 32 × (0.75 × 0.000892 + 0.25 × 0.004237) = 32 × 0.00172825 = 0.05530400
        // Driver on demand: 2 core-hours, 4 GiB-hours: 0.063222 + 0.016948 = 0.080170
        // Total 0.238626
        let cost = model.cost(executorCoreSeconds: 8 * 3600, executorMemoryMBSeconds: 32 * 1024 * 3600,
                              driverCoreSeconds: 2 * 3600, driverMemoryMBSeconds: 4 * 1024 * 3600, spotFraction: 0.75)
        #expect(abs(cost - 0.238626) < 1e-12)
    }

    @Test func allSpot() {
        // 1 core-hour and 1 GiB-hour, all spot: 0.006655 + 0.000892 = 0.007547.
        let cost = model.cost(executorCoreSeconds: 3600, executorMemoryMBSeconds: 1024 * 3600,
                              driverCoreSeconds: 0, driverMemoryMBSeconds: 0, spotFraction: 1)
        #expect(abs(cost - 0.007547) < 1e-15)
    }

    @Test func fromAMetricsSummaryWithAbsentFieldsAsZero() throws {
        let event = EventFactory.metrics(0, #"{"driver_core_seconds":1800,"driver_memory_mb_seconds":1843200}"#)
        guard case .metricsSummary(let metrics) = event.payload else {
            Issue.record("not a metrics summary")
            return
        }
        // Driver only: 0.5 core-hours × 0.031611 + 0.5 GiB-hours × 0.004237 = 0.0158055 + 0.0021185 = 0.017924.
        #expect(abs(model.cost(of: metrics) - 0.017924) < 1e-12)
    }

    @Test func pricesAreConfiguration() {
        let doubled = CostModel(prices: PriceConfiguration(cpuCoreHour: 0.063222, spotCPUCoreHour: 0.01331, ramGiBHour: 0.008474, spotRAMGiBHour: 0.001784))
        let cost = doubled.cost(executorCoreSeconds: 3600, executorMemoryMBSeconds: 0, driverCoreSeconds: 0, driverMemoryMBSeconds: 0, spotFraction: 0)
        #expect(cost == 0.063222)
    }
}
