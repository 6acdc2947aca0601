/// What a past run cost (contract section 6) and what it would have cost with other resources:
/// executor core-seconds scale with cores per executor, executor memory MB-seconds with memory
/// per executor (or with the pod's CPU request, when one is given: billed as the larger of the
/// request and the CPU actually used, as OpenCost allocates), the driver's with its cores and
/// memory. The run's executor-seconds (how many executors for how long) are taken as they were:
/// dynamic allocation follows the work.
public struct RunCostEstimate: Sendable {
    public let model: CostModel

    public init(prices: PriceConfiguration) {
        model = CostModel(prices: prices)
    }

    /// The run's cost as measured; 0 without metrics.
    public func actual(_ run: SizingRun) -> Double {
        run.metrics.map(model.cost(of:)) ?? 0
    }

    /// The run's cost under a recommendation.
    public func under(_ recommendation: SizingRecommendation, like run: SizingRun) -> Double {
        under(recommendation.resources, cpuRequestMillicores: recommendation.executorCPURequestMillicores.target, like: run)
    }

    /// The run's cost had it requested `resources` (and its executor pods `cpuRequestMillicores`).
    public func under(_ resources: RequestedResources, cpuRequestMillicores: Int64? = nil, like run: SizingRun) -> Double {
        guard let metrics = run.metrics else { return 0 }
        let requested = run.requested
        func ratio(_ new: Int64?, _ old: Int64?) -> Double {
            guard let new, let old, old > 0 else { return 1 }
            return Double(new) / Double(old)
        }
        var executorCoreSeconds = metrics.executorCoreSeconds * ratio(resources.executor?.cores, requested?.executor?.cores)
        if let cpuRequestMillicores, let cores = requested?.executor?.cores, cores > 0 {
            let reserved = metrics.executorCoreSeconds * Double(cpuRequestMillicores) / Double(cores * 1000)
            executorCoreSeconds = max(reserved, (metrics.value(.executorCPUTimeMs) ?? 0) / 1000)
        }
        return model.cost(
            executorCoreSeconds: executorCoreSeconds,
            executorMemoryMBSeconds: metrics.executorMemoryMBSeconds * ratio(resources.executor?.memoryMB, requested?.executor?.memoryMB),
            driverCoreSeconds: metrics.driverCoreSeconds * ratio(resources.driver?.cores, requested?.driver?.cores),
            driverMemoryMBSeconds: metrics.driverMemoryMBSeconds * ratio(resources.driver?.memoryMB, requested?.driver?.memoryMB),
            spotFraction: metrics.spotFraction)
    }
}
