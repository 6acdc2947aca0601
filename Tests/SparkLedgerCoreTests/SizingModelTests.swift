import SparkLedgerCore
import Testing

/// The sizing model's math, pinned with hand-computed cases.
@Suite struct SizingModelTests {
    static let day: Int64 = 86_400_000
    static let asOf: Int64 = 1_800_000_000_000
    static let request = RequestedResources(
        driver: .init(cores: 2, memoryMB: 4096),
        executor: .init(instances: 4, cores: 2, memoryMB: 8192),
        dynamicAllocation: .init(enabled: true, minExecutors: 2, maxExecutors: 32, initialExecutors: 8))

    /// A successful run `daysAgo` before as-of that peaked at `peakMB`, held `executors` at its
    /// peak, kept `busy` executors busy on average over 1000 s with 2 cores each.
    static func run(_ id: String, daysAgo: Double, peakMB: Double, executors: Double = 10, busy: Double = 4,
                    utilisation: Double = 0.5, state: ExecutionState = .succeeded, outOfMemory: Bool = false,
                    request: RequestedResources = request, inputBytes: Double? = nil) -> SizingRun {
        var metrics = MetricsSummary()
        let seconds = 1000.0
        let cores = Double(request.executor?.cores ?? 2)
        metrics.set(.peakExecutorMemoryMB, peakMB)
        metrics.set(.peakDriverMemoryMB, 1500)
        metrics.set(.executorsPeak, executors)
        metrics.set(.executorCPUTimeMs, busy * cores * seconds * 1000)
        metrics.set(.executorCoreSeconds, busy * cores * seconds / utilisation)
        metrics.set(.executorMemoryMBSeconds, busy / utilisation * Double(request.executor?.memoryMB ?? 0) * seconds)
        metrics.set(.driverCoreSeconds, 2 * seconds)
        metrics.set(.driverMemoryMBSeconds, 4096 * seconds)
        metrics.set(.inputBytes, inputBytes)
        return SizingRun(executionID: id, submitTime: asOf - Int64(daysAgo * Double(day)), state: state, outOfMemory: outOfMemory,
                         requested: request, metrics: metrics, durationMs: Int64(seconds * 1000))
    }

    /// Ten successful runs a day old, peaking at 2000, 2100, …, 2900 MiB.
    static let tenRuns = (0..<10).map { run("r\($0)", daysAgo: 1, peakMB: 2000 + Double($0) * 100) }

    @Test func decayingSamplesTakeTheSmallestValueHoldingTheFraction() {
        let even = DecayingSamples([(1, 1), (2, 1), (3, 1), (4, 1)])
        #expect(even.percentile(0.5) == 2)
        #expect(even.percentile(0.9) == 4)
        #expect(even.percentile(0.25) == 1)
        // A heavy recent sample pulls the median up: cumulative 1, 2, 3, 8 of 8; half is 4.
        let heavy = DecayingSamples([(4, 5), (1, 1), (3, 1), (2, 1)])
        #expect(heavy.percentile(0.5) == 4)
        #expect(DecayingSamples().percentile(0.5) == nil)
    }

    @Test func weightsHalveEveryHalfLife() {
        let policy = SizingPolicy()
        #expect(policy.weight(ageMilliseconds: 0) == 1)
        #expect(abs(policy.weight(ageMilliseconds: 7 * Self.day) - 0.5) < 1e-12)
        #expect(abs(policy.weight(ageMilliseconds: 14 * Self.day) - 0.25) < 1e-12)
        #expect(policy.roundUpMemory(5222.4) == 5632)
        #expect(policy.roundUpMemory(5120) == 5120)
    }

    @Test func executorMemoryIsP90PlusMarginRoundedUp() {
        let recommendation = SizingModel().recommend(jobPath: "a/b", runs: Self.tenRuns, current: Self.request, asOf: Self.asOf)
        let memory = recommendation.executorMemoryMB
        // p90 of ten equally weighted peaks is the 9th: 2800 × 1.15 = 3220 → 3584 (7 × 512).
        #expect(memory.target == 3584)
        // p50 is the 5th: 2400 × 1.15 = 2760 → 3072.
        #expect(memory.lower == 3072)
        // p95 is the 10th: 2900 × 1.15 × (1 + 1 / (10 × 2^(−1/7))) = 3703.2 → 4096.
        #expect(memory.upper == 4096)
        #expect(memory.current == 8192)
        #expect(memory.reason == "p90 of peak executor memory over 10 runs = 2.7 GiB, +15% margin, rounded up to 512 MiB → 3584 MiB")
        // Confidence: 10 runs weighing 2^(−1/7) each, against 10 for full confidence.
        #expect(abs(recommendation.confidence - 0.905_723) < 1e-6)
        #expect(recommendation.evidence.successfulRuns == 10)
        #expect(recommendation.note == nil)
    }

    @Test func anOutOfMemoryFailureBumpsMemoryByAtLeastTwentyPercent() {
        var oomRequest = Self.request
        oomRequest.executor?.memoryMB = 4096
        let oom = Self.run("oom", daysAgo: 0.5, peakMB: 4096, state: .failed, outOfMemory: true, request: oomRequest)
        let recommendation = SizingModel().recommend(jobPath: "a/b", runs: Self.tenRuns + [oom], current: Self.request, asOf: Self.asOf)
        // The OOM run counts as 4096 × 1.2 = 4915.2; p90 stays 2900 (3584 after margin), but the
        // last run ran out of memory with 4096: at least 4915.2 → 5120.
        #expect(recommendation.executorMemoryMB.target == 5120)
        #expect(recommendation.executorMemoryMB.reason.contains("the last run ran out of memory with 4096 MiB: at least +20%"))
        #expect(recommendation.evidence.outOfMemoryRuns == 1)
        // An OOM followed by a success: no bump beyond the percentile.
        let later = Self.run("after", daysAgo: 0.1, peakMB: 2500)
        let recovered = SizingModel().recommend(jobPath: "a/b", runs: Self.tenRuns + [oom, later], current: Self.request, asOf: Self.asOf)
        #expect(recovered.executorMemoryMB.target < 5120)
    }

    @Test func floorsAndCapsHold() {
        let tiny = (0..<5).map { Self.run("t\($0)", daysAgo: 1, peakMB: 300, executors: 1, busy: 0.2) }
        let small = SizingModel().recommend(jobPath: "a/b", runs: tiny, current: Self.request, asOf: Self.asOf)
        #expect(small.executorMemoryMB.target == 1024)
        #expect(small.executorMemoryMB.reason.contains("raised to the floor of 1024 MiB"))
        #expect(small.minExecutors.target == 1)
        #expect(small.maxExecutors.target == 2)  // ceil(1 × 1.15)
        #expect(small.executorCores.target >= 1)
        let huge = (0..<5).map { Self.run("h\($0)", daysAgo: 1, peakMB: 70_000) }
        let big = SizingModel().recommend(jobPath: "a/b", runs: huge, current: Self.request, asOf: Self.asOf)
        #expect(big.executorMemoryMB.target == 65536)
        #expect(big.executorMemoryMB.reason.contains("held at the platform's cap of 65536 MiB"))
    }

    @Test func executorCountsComeFromWhatTheJobHeldAndKeptBusy() {
        let recommendation = SizingModel().recommend(jobPath: "a/b", runs: Self.tenRuns, current: Self.request, asOf: Self.asOf)
        // executors_peak 10 in every run: ceil(10 × 1.15) = 12.
        #expect(recommendation.maxExecutors.target == 12)
        #expect(recommendation.maxExecutors.current == 32)
        // 4 executors busy on average (CPU time 8,000 s over 1,000 s with 2 cores each): min 4,
        // initial ceil(4 × 1.15) = 5.
        #expect(recommendation.minExecutors.target == 4)
        #expect(recommendation.initialExecutors.target == 5)
        // Cores: 2 × 50 % utilisation = 1 busy core, × 1.15 → 2 (the request).
        #expect(recommendation.executorCores.target == 2)
        // Idle cores shrink: 4 cores at 30 % = 1.2 busy, × 1.15 = 1.38 → 2.
        var fourCores = Self.request
        fourCores.executor?.cores = 4
        let idle = (0..<10).map { Self.run("i\($0)", daysAgo: 1, peakMB: 2000, utilisation: 0.3, request: fourCores) }
        #expect(SizingModel().recommend(jobPath: "a/b", runs: idle, current: fourCores, asOf: Self.asOf).executorCores.target == 2)
        // The driver: p90 of 1500 MiB × 1.15 = 1725 → 2048; cores kept.
        #expect(recommendation.driverMemoryMB.target == 2048)
        #expect(recommendation.driverCores.target == 2)
    }

    @Test func theExecutorPodsCPURequestIsP90OfBusyCoresPlusMarginInMillicores() {
        let recommendation = SizingModel().recommend(jobPath: "a/b", runs: Self.tenRuns, current: Self.request, asOf: Self.asOf)
        // 2 cores at 50 % = 1.00 busy core; × 1.15 = 1150m → 1200m (whole 100m steps).
        let request = recommendation.executorCPURequestMillicores
        #expect(request.target == 1200)
        #expect(request.current == 2000)
        #expect(request.reason == "p90 of busy cores per executor = 1, +15% margin, rounded up to 100m → 1200m")
        // Never above the recommended cores: 2 cores at 95 % = 1.9 busy, × 1.15 = 2185m → 2000m.
        let busy = (0..<10).map { Self.run("b\($0)", daysAgo: 1, peakMB: 2000, utilisation: 0.95) }
        let capped = SizingModel().recommend(jobPath: "a/b", runs: busy, current: Self.request, asOf: Self.asOf).executorCPURequestMillicores
        #expect(capped.target == 2000)
        #expect(capped.reason.hasSuffix("at most the 2 recommended cores → 2000m"))
        let conf = Dictionary(uniqueKeysWithValues: recommendation.sparkConf.map { ($0.key, $0.value) })
        #expect(conf["spark.kubernetes.executor.request.cores"] == "1200m")
        #expect(conf["spark.executor.cores"] == "2")
        #expect(conf["spark.executor.memory"] == "3584m")
        #expect(conf["spark.dynamicAllocation.maxExecutors"] == "12")
    }

    @Test func aCPURequestIsBilledAsTheLargerOfRequestAndUse() {
        // 4 busy executors × 2 cores × 1000 s at 50 %: 16,000 core-seconds allocated, 8,000 s of CPU.
        let run = Self.tenRuns[0]
        let metrics = run.metrics ?? MetricsSummary()
        let estimate = RunCostEstimate(prices: .openCostDefaults)
        let model = CostModel()
        func cost(executorCoreSeconds: Double) -> Double {
            model.cost(executorCoreSeconds: executorCoreSeconds, executorMemoryMBSeconds: metrics.executorMemoryMBSeconds,
                       driverCoreSeconds: metrics.driverCoreSeconds, driverMemoryMBSeconds: metrics.driverMemoryMBSeconds, spotFraction: 0)
        }
        #expect(metrics.executorCoreSeconds == 16000)
        // 1200m of 2000m reserved: 9,600 core-seconds, more than the 8,000 used.
        #expect(abs(estimate.under(Self.request, cpuRequestMillicores: 1200, like: run) - cost(executorCoreSeconds: 9600)) < 1e-12)
        // 500m reserved would be 4,000 core-seconds; the 8,000 used are billed.
        #expect(abs(estimate.under(Self.request, cpuRequestMillicores: 500, like: run) - cost(executorCoreSeconds: 8000)) < 1e-12)
    }

    @Test func onlyStrictlyEarlierRunsInTheWindowCount() {
        let future = Self.run("future", daysAgo: -1, peakMB: 60_000)
        let now = SizingRun(executionID: "now", submitTime: Self.asOf, state: .succeeded, requested: Self.request, metrics: Self.tenRuns[0].metrics)
        let ancient = Self.run("ancient", daysAgo: 61, peakMB: 60_000)
        let recommendation = SizingModel().recommend(jobPath: "a/b", runs: Self.tenRuns + [future, now, ancient], current: Self.request, asOf: Self.asOf)
        #expect(recommendation.executorMemoryMB.target == 3584)
        #expect(recommendation.evidence.runs == 10)
    }

    @Test func withoutSuccessfulHistoryTheCurrentRequestComesBackWithConfidenceZero() {
        let failed = Self.run("f", daysAgo: 1, peakMB: 2000, state: .failed)
        let recommendation = SizingModel().recommend(jobPath: "a/b", runs: [failed], current: Self.request, asOf: Self.asOf)
        #expect(recommendation.confidence == 0)
        #expect(recommendation.resources == RequestedResources(
            driver: .init(cores: 2, memoryMB: 4096), executor: .init(instances: 8, cores: 2, memoryMB: 8192),
            dynamicAllocation: .init(enabled: true, minExecutors: 2, maxExecutors: 32, initialExecutors: 8)))
        #expect(recommendation.note?.hasPrefix("no successful run of a/b") == true)
    }

    @Test func growingInputScalesMemoryByItsElasticity() {
        // Input grows 3 % a day for 20 days and peak memory grows with it one to one.
        let growing = (1...20).map { daysAgo -> SizingRun in
            let size = pow103(-daysAgo)
            return Self.run("g\(daysAgo)", daysAgo: Double(daysAgo), peakMB: 2000 * size, inputBytes: 1e10 * size)
        }
        let recommendation = SizingModel().recommend(jobPath: "a/b", runs: growing, current: Self.request, asOf: Self.asOf)
        let growth = recommendation.evidence.inputGrowth
        // The input projected to as-of is 1e10; the window's weighted median lies 1.03^-k below it.
        // The input projected to as-of is 1e10 (the fit is exact); the decay-weighted median of the
        // window is one of the runs' inputs, 1e10 × 1.03^−k, so the growth is exactly 1.03^k.
        let k = (1...20).first { abs(growth - pow103($0)) < 1e-9 }
        #expect(k != nil, "growth \(growth) is not a power of 1.03")
        // Half the weight (half-life 7 days) lies within the last 7 or so days.
        #expect((4...9).contains(k ?? 0))
        // Memory grows one to one with input (elasticity 1): the same runs without input sizes
        // get the percentile alone; with them, that times the growth (up to the 512 MiB step).
        let blind = growing.map { run -> SizingRun in
            var copy = run
            copy.metrics?.set(.inputBytes, nil)
            return copy
        }
        let without = SizingModel().recommend(jobPath: "a/b", runs: blind, current: Self.request, asOf: Self.asOf).executorMemoryMB.target
        let with = recommendation.executorMemoryMB.target
        #expect(Double(with) >= Double(without - 512) * growth && Double(with) <= Double(without) * growth + 512)
        #expect(recommendation.executorMemoryMB.reason.contains("for input growth"))
        let flat = (1...20).map { Self.run("f\($0)", daysAgo: Double($0), peakMB: 2000, inputBytes: 1e10) }
        #expect(SizingModel().recommend(jobPath: "a/b", runs: flat, current: Self.request, asOf: Self.asOf).evidence.inputGrowth == 1)
    }

    @Test func outOfMemoryIsRecognisedFromExitCodesAndMessages() {
        #expect(SizingRun.isOutOfMemory(exitCode: 137, message: nil))
        #expect(SizingRun.isOutOfMemory(exitCode: 1, message: "java.lang.OutOfMemoryError: Java heap space"))
        #expect(SizingRun.isOutOfMemory(exitCode: nil, message: "ExecutorLostFailure: Container killed by Kubernetes: OOMKilled"))
        #expect(!SizingRun.isOutOfMemory(exitCode: 1, message: "driver exited with code 1"))
        #expect(!SizingRun.isOutOfMemory(exitCode: nil, message: nil))
    }

    @Test func costUnderARecommendationScalesWhatWasAllocated() {
        let run = Self.tenRuns[0]
        let estimate = RunCostEstimate(prices: .openCostDefaults)
        var half = Self.request
        half.executor?.memoryMB = 4096
        let metrics = run.metrics ?? MetricsSummary()
        let model = CostModel()
        let expected = model.cost(executorCoreSeconds: metrics.executorCoreSeconds, executorMemoryMBSeconds: metrics.executorMemoryMBSeconds / 2,
                                  driverCoreSeconds: metrics.driverCoreSeconds, driverMemoryMBSeconds: metrics.driverMemoryMBSeconds, spotFraction: 0)
        #expect(abs(estimate.under(half, like: run) - expected) < 1e-12)
        #expect(abs(estimate.actual(run) - model.cost(of: metrics)) < 1e-12)
        let recommendation = SizingModel().recommend(jobPath: "a/b", runs: Self.tenRuns, current: Self.request, asOf: Self.asOf)
        let current = recommendation.expectedCostCurrentUSD ?? 0
        let recommended = recommendation.expectedCostRecommendedUSD ?? 0
        #expect(recommended < current && recommended > 0)
    }
}

/// 1.03 to an integer power, by multiplication.
func pow103(_ exponent: Int) -> Double {
    var result = 1.0
    for _ in 0..<abs(exponent) { result *= 1.03 }
    return exponent < 0 ? 1 / result : result
}
