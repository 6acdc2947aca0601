/// The cost of an execution from its metrics (contract §6). The driver always runs on demand;
/// executor time splits between spot and on-demand by `spot_fraction`.
public struct CostModel: Sendable {
    public var prices: PriceConfiguration

    public init(prices: PriceConfiguration = .openCostDefaults) {
        self.prices = prices
    }

    public func cost(of metrics: MetricsSummary) -> Double {
        cost(
            executorCoreSeconds: metrics.executorCoreSeconds,
            executorMemoryMBSeconds: metrics.executorMemoryMBSeconds,
            driverCoreSeconds: metrics.driverCoreSeconds,
            driverMemoryMBSeconds: metrics.driverMemoryMBSeconds,
            spotFraction: metrics.spotFraction)
    }

    public func cost(executorCoreSeconds: Double, executorMemoryMBSeconds: Double, driverCoreSeconds: Double,
                     driverMemoryMBSeconds: Double, spotFraction f: Double) -> Double {
        let executorCPU = executorCoreSeconds / 3600 * (f * prices.spotCPUCoreHour + (1 - f) * prices.cpuCoreHour)
        let executorRAM = executorMemoryMBSeconds / 1024 / 3600 * (f * prices.spotRAMGiBHour + (1 - f) * prices.ramGiBHour)
        let driver = driverCoreSeconds / 3600 * prices.cpuCoreHour
            + driverMemoryMBSeconds / 1024 / 3600 * prices.ramGiBHour
        return executorCPU + executorRAM + driver
    }
}
