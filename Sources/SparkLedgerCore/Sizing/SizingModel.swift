/// Recommends a job's next request from its history: a pure function of the runs, the current
/// request, "as of" and the policy.
///
/// The baseline is the Kubernetes VPA recommender: decaying samples, target p90 / lower p50 /
/// upper p95 of usage, +15 % margin, an upper bound that widens with little history, and at
/// least +20 % memory after an out-of-memory failure. Beyond it: executor counts come from the
/// executors a job actually held (`executors_peak`) and kept busy (CPU time over run time);
/// executor cores from the share of allocated core-seconds spent on CPU; and memory and executor
/// counts grow with the input when the job's input grows.
public struct SizingModel: Sendable {
    public var policy: SizingPolicy

    public init(policy: SizingPolicy = SizingPolicy()) {
        self.policy = policy
    }

    public func recommend(jobPath: String, runs: [SizingRun], current: RequestedResources?, asOf: Int64) -> SizingRecommendation {
        let windowStart = asOf - policy.lookbackDays * SizingPolicy.millisecondsPerDay
        let window = runs.filter { $0.submitTime < asOf && $0.submitTime >= windowStart }.sorted { $0.submitTime < $1.submitTime }
        let current = current ?? window.last(where: { $0.requested != nil })?.requested
        let successful = window.filter { $0.state == .succeeded && $0.metrics != nil }
        let outOfMemory = window.filter(\.outOfMemory)
        let weight = { (run: SizingRun) in policy.weight(ageMilliseconds: asOf - run.submitTime) }
        let effectiveRuns = successful.reduce(0) { $0 + weight($1) }
        var evidence = SizingRecommendation.Evidence(
            runs: window.count, successfulRuns: successful.count, outOfMemoryRuns: outOfMemory.count, effectiveRuns: effectiveRuns,
            windowStart: windowStart, windowEnd: asOf, percentile: policy.targetPercentile, halfLifeDays: policy.halfLifeDays,
            inputGrowth: 1)

        guard !successful.isEmpty else {
            return unchanged(jobPath: jobPath, current: current, asOf: asOf, evidence: evidence,
                             note: "no successful run of \(jobPath) with metrics in the \(policy.lookbackDays) days before as_of: the current request stands")
        }

        let growth = InputGrowth(successful, weight: weight, asOf: asOf, minimumRuns: policy.minimumRunsForGrowth)
        evidence.inputGrowth = growth.factor
        let widening = 1 + 1 / effectiveRuns
        let runCount = "\(successful.count) run\(successful.count == 1 ? "" : "s")"

        // Executor memory: peaks of successful runs; an out-of-memory run counts as needing at
        // least its request plus the bump (its real peak was cut off at the limit).
        var memory = DecayingSamples()
        for run in successful { if let peak = run.metrics?.value(.peakExecutorMemoryMB), peak > 0 { memory.add(peak, weight: weight(run)) } }
        for run in outOfMemory { if let limit = run.requested?.executor?.memoryMB { memory.add(Double(limit) * (1 + policy.outOfMemoryBump), weight: weight(run)) } }
        let memoryScale = growth.scale(for: { $0.metrics?.value(.peakExecutorMemoryMB) }, in: successful)
        let executorMemory = memoryValue(
            memory, scale: memoryScale, widening: widening, current: current?.executor?.memoryMB,
            floor: policy.floors.executorMemoryMB, cap: policy.caps.executorMemoryMB, what: "peak executor memory", runs: runCount,
            lastOutOfMemory: window.last(where: { $0.state.isFinal }).flatMap { $0.outOfMemory ? $0.requested?.executor?.memoryMB : nil })

        let driverSamples = DecayingSamples(successful.compactMap { run in
            run.metrics?.value(.peakDriverMemoryMB).flatMap { $0 > 0 ? ($0, weight(run)) : nil }
        })
        let driverMemory = memoryValue(
            driverSamples, scale: 1, widening: widening, current: current?.driver?.memoryMB,
            floor: policy.floors.driverMemoryMB, cap: policy.caps.driverMemoryMB, what: "peak driver memory", runs: runCount, lastOutOfMemory: nil)

        let busyCores = busyCoresPerExecutor(successful, weight: weight)
        let cores = executorCoresValue(busyCores, current: current?.executor?.cores)
        let cpuRequest = executorCPURequestValue(busyCores, cores: cores.target, current: current?.executor?.cores)
        let (minimum, initial, maximum) = executorCounts(successful, weight: weight, widening: widening, current: current,
                                                          growth: growth, runs: runCount)
        let driverCores = SizingRecommendation.Value.unchanged(
            current?.driver?.cores.map { clamp($0, policy.floors.driverCores, policy.caps.driverCores) }, floor: policy.floors.driverCores,
            reason: "kept as requested: the driver's CPU use is not measured")

        var recommendation = SizingRecommendation(
            jobPath: jobPath, asOf: asOf, executorMemoryMB: executorMemory, executorCores: cores,
            executorCPURequestMillicores: cpuRequest, minExecutors: minimum,
            initialExecutors: initial, maxExecutors: maximum, driverMemoryMB: driverMemory, driverCores: driverCores,
            confidence: min(1, effectiveRuns / policy.fullConfidenceRuns), evidence: evidence,
            expectedCostCurrentUSD: nil, expectedCostRecommendedUSD: nil, note: nil)
        let estimate = RunCostEstimate(prices: policy.prices)
        let costed = successful.filter { $0.requested != nil }
        if !costed.isEmpty {
            let total = costed.reduce(0) { $0 + weight($1) }
            recommendation.expectedCostCurrentUSD = costed.reduce(0) { $0 + weight($1) * estimate.actual($1) } / total
            recommendation.expectedCostRecommendedUSD = costed.reduce(0) {
                $0 + weight($1) * estimate.under(recommendation, like: $1)
            } / total
        }
        return recommendation
    }

    // MARK: fields

    private func memoryValue(_ samples: DecayingSamples, scale: Double, widening: Double, current: Int64?, floor: Int64, cap: Int64,
                             what: String, runs: String, lastOutOfMemory: Int64?) -> SizingRecommendation.Value {
        guard let p50 = samples.percentile(policy.lowerPercentile), let p90 = samples.percentile(policy.targetPercentile),
              let p95 = samples.percentile(policy.upperPercentile) else {
            return .unchanged(current.map { clamp($0, floor, cap) }, floor: floor, reason: "kept as requested: no run reported its \(what)")
        }
        let margin = 1 + policy.safetyMargin
        var target = clamp(policy.roundUpMemory(p90 * margin * scale), floor, cap)
        var reason = "p\(percent(policy.targetPercentile)) of \(what) over \(runs) = \(mebibytes(p90)), +\(percent(policy.safetyMargin))% margin"
        if scale > 1.0005 { reason += ", ×\(rounded(scale, 2)) for input growth" }
        reason += ", rounded up to \(policy.memoryStepMB) MiB"
        if let limit = lastOutOfMemory {
            let bumped = clamp(policy.roundUpMemory(Double(limit) * (1 + policy.outOfMemoryBump)), floor, cap)
            if bumped > target {
                target = bumped
                reason += "; the last run ran out of memory with \(limit) MiB: at least +\(percent(policy.outOfMemoryBump))%"
            }
        }
        if target == floor && p90 * margin * scale < Double(floor) { reason += "; raised to the floor of \(floor) MiB" }
        if target == cap { reason += "; held at the platform's cap of \(cap) MiB" }
        reason += " → \(target) MiB"
        let lower = clamp(policy.roundUpMemory(p50 * margin * scale), floor, cap)
        let upper = clamp(policy.roundUpMemory(p95 * margin * scale * widening), floor, cap)
        return .init(lower: lower, target: target, upper: max(upper, target), current: current, reason: reason)
    }

    /// Busy cores per executor in each run: cores × the share of allocated core-seconds spent on
    /// CPU.
    private func busyCoresPerExecutor(_ runs: [SizingRun], weight: (SizingRun) -> Double) -> DecayingSamples {
        var busyCores = DecayingSamples()
        for run in runs {
            guard let metrics = run.metrics, let cores = run.requested?.executor?.cores, let cpu = metrics.value(.executorCPUTimeMs),
                  metrics.executorCoreSeconds > 0 else { continue }
            let utilisation = min(1, cpu / 1000 / metrics.executorCoreSeconds)
            busyCores.add(Double(cores) * utilisation, weight: weight(run))
        }
        return busyCores
    }

    /// Cores per executor (`spark.executor.cores`, the task slots) from the busy cores (as VPA
    /// sizes CPU from usage): p90, +margin, rounded up; never above the request, so a job's task
    /// slots only shrink where whole cores sat idle.
    private func executorCoresValue(_ busyCores: DecayingSamples, current: Int64?) -> SizingRecommendation.Value {
        let floor = policy.floors.executorCores, cap = policy.caps.executorCores
        guard let current, let p50 = busyCores.percentile(policy.lowerPercentile), let p90 = busyCores.percentile(policy.targetPercentile),
              let p95 = busyCores.percentile(policy.upperPercentile) else {
            return .unchanged(current.map { clamp($0, floor, cap) }, floor: floor, reason: "kept as requested: no run reported CPU time and core-seconds")
        }
        let margin = 1 + policy.safetyMargin
        let fit = { (value: Double) in clamp(Int64((value * margin).rounded(.up)), floor, min(cap, max(current, floor))) }
        let target = fit(p90)
        let reason = "p\(percent(policy.targetPercentile)) of busy cores per executor (CPU time ÷ allocated core-seconds × \(current) cores) = \(rounded(p90, 2)), +\(percent(policy.safetyMargin))% margin, rounded up → \(target)"
            + (target == current ? " (the request)" : "")
        return .init(lower: fit(p50), target: target, upper: max(fit(p95), target), current: current, reason: reason)
    }

    /// The executor pod's CPU request in millicores (`spark.kubernetes.executor.request.cores`):
    /// p90 of the busy cores, +margin, rounded up to the millicore step, at most the recommended
    /// cores. The request is what the scheduler reserves and what the cluster bills; it is not a
    /// limit, so a busier run is not throttled by it.
    private func executorCPURequestValue(_ busyCores: DecayingSamples, cores: Int64, current: Int64?) -> SizingRecommendation.Value {
        let step = policy.cpuRequestStepMillicores
        let currentMillicores = current.map { $0 * 1000 }
        guard let p50 = busyCores.percentile(policy.lowerPercentile), let p90 = busyCores.percentile(policy.targetPercentile),
              let p95 = busyCores.percentile(policy.upperPercentile) else {
            return .init(lower: cores * 1000, target: cores * 1000, upper: cores * 1000, current: currentMillicores,
                         reason: "the recommended cores: no run reported CPU time and core-seconds")
        }
        let margin = 1 + policy.safetyMargin
        let fit = { (value: Double) in clamp(policy.roundUpMillicores(value * margin * 1000), step, cores * 1000) }
        let target = fit(p90)
        var reason = "p\(percent(policy.targetPercentile)) of busy cores per executor = \(rounded(p90, 2)), +\(percent(policy.safetyMargin))% margin, rounded up to \(step)m"
        if target == cores * 1000 { reason += ", at most the \(cores) recommended cores" }
        reason += " → \(target)m"
        return .init(lower: fit(p50), target: target, upper: fit(p95), current: currentMillicores, reason: reason)
    }

    /// Dynamic allocation from what the job held and kept busy: max from p90 of `executors_peak`,
    /// min from p50 of the executors kept busy on average (CPU time ÷ (run time × cores)), initial
    /// between them at the busy p90.
    private func executorCounts(_ runs: [SizingRun], weight: (SizingRun) -> Double, widening: Double, current: RequestedResources?,
                                growth: InputGrowth, runs runCount: String)
        -> (SizingRecommendation.Value, SizingRecommendation.Value, SizingRecommendation.Value) {
        let floor = policy.floors.executors, cap = policy.caps.executors
        let dynamic = current?.dynamicAllocation
        var peaks = DecayingSamples()
        var busy = DecayingSamples()
        for run in runs {
            guard let metrics = run.metrics else { continue }
            if let peak = metrics.value(.executorsPeak), peak > 0 { peaks.add(peak, weight: weight(run)) }
            if let cpu = metrics.value(.executorCPUTimeMs), let cores = run.requested?.executor?.cores, let duration = run.durationMs, duration > 0 {
                busy.add(cpu / Double(duration) / Double(cores), weight: weight(run))
            }
        }
        guard let peak50 = peaks.percentile(policy.lowerPercentile), let peak90 = peaks.percentile(policy.targetPercentile),
              let peak95 = peaks.percentile(policy.upperPercentile) else {
            let reason = "kept as requested: no run reported executors_peak"
            return (.unchanged(dynamic?.minExecutors, floor: floor, reason: reason),
                    .unchanged(dynamic?.initialExecutors ?? current?.executor?.instances, floor: floor, reason: reason),
                    .unchanged(dynamic?.maxExecutors ?? current?.executor?.instances, floor: floor, reason: reason))
        }
        let margin = 1 + policy.safetyMargin
        let scale = growth.scale(for: { $0.metrics?.value(.executorsPeak) }, in: runs)
        let count = { (value: Double) in clamp(Int64((value * margin * scale).rounded(.up)), floor, cap) }
        let maxTarget = count(peak90)
        var maxReason = "p\(percent(policy.targetPercentile)) of executors_peak over \(runCount) = \(rounded(peak90, 1)), +\(percent(policy.safetyMargin))% margin"
        if scale > 1.0005 { maxReason += ", ×\(rounded(scale, 2)) for input growth" }
        maxReason += ", rounded up → \(maxTarget)"
        let maximum = SizingRecommendation.Value(lower: min(count(peak50), maxTarget), target: maxTarget,
                                                 upper: clamp(Int64((peak95 * margin * scale * widening).rounded(.up)), floor, cap),
                                                 current: dynamic?.maxExecutors, reason: maxReason)
        guard let busy50 = busy.percentile(policy.lowerPercentile), let busy90 = busy.percentile(policy.targetPercentile) else {
            let reason = "at the floor: no run reported CPU time and run time"
            return (.init(lower: floor, target: floor, upper: floor, current: dynamic?.minExecutors, reason: reason),
                    .init(lower: floor, target: min(max(floor, dynamic?.initialExecutors ?? floor), maxTarget), upper: maxTarget,
                          current: dynamic?.initialExecutors, reason: "kept as requested, within the recommended max"),
                    maximum)
        }
        let minTarget = clamp(Int64(busy50.rounded(.down)), floor, maxTarget)
        let minimum = SizingRecommendation.Value(
            lower: floor, target: minTarget, upper: minTarget, current: dynamic?.minExecutors,
            reason: "p\(percent(policy.lowerPercentile)) of executors kept busy (CPU time ÷ (run time × cores)) = \(rounded(busy50, 2)), rounded down → \(minTarget)")
        let initialTarget = clamp(Int64((busy90 * margin).rounded(.up)), minTarget, maxTarget)
        let initial = SizingRecommendation.Value(
            lower: minTarget, target: initialTarget, upper: maxTarget, current: dynamic?.initialExecutors,
            reason: "p\(percent(policy.targetPercentile)) of executors kept busy = \(rounded(busy90, 2)), +\(percent(policy.safetyMargin))% margin, between min and max → \(initialTarget)")
        return (minimum, initial, maximum)
    }

    private func unchanged(jobPath: String, current: RequestedResources?, asOf: Int64, evidence: SizingRecommendation.Evidence,
                           note: String) -> SizingRecommendation {
        let floors = policy.floors
        let dynamic = current?.dynamicAllocation
        let reason = "no successful history: the current request"
        return SizingRecommendation(
            jobPath: jobPath, asOf: asOf,
            executorMemoryMB: .unchanged(current?.executor?.memoryMB, floor: floors.executorMemoryMB, reason: reason),
            executorCores: .unchanged(current?.executor?.cores, floor: floors.executorCores, reason: reason),
            executorCPURequestMillicores: .unchanged(current?.executor?.cores.map { $0 * 1000 }, floor: floors.executorCores * 1000, reason: reason),
            minExecutors: .unchanged(dynamic?.minExecutors, floor: floors.executors, reason: reason),
            initialExecutors: .unchanged(dynamic?.initialExecutors ?? current?.executor?.instances, floor: floors.executors, reason: reason),
            maxExecutors: .unchanged(dynamic?.maxExecutors ?? current?.executor?.instances, floor: floors.executors, reason: reason),
            driverMemoryMB: .unchanged(current?.driver?.memoryMB, floor: floors.driverMemoryMB, reason: reason),
            driverCores: .unchanged(current?.driver?.cores, floor: floors.driverCores, reason: reason),
            confidence: 0, evidence: evidence, expectedCostCurrentUSD: nil, expectedCostRecommendedUSD: nil, note: note)
    }
}
