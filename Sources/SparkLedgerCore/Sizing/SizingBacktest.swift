/// Replays a job's history in time order: for every finished run with metrics, the
/// recommendation from strictly earlier runs, scored against what the run actually did.
public struct SizingBacktest: Sendable {
    public struct Score: Sendable, Equatable {
        public var runsScored = 0
        /// Runs that peaked above the recommended executor memory or held more executors than
        /// the recommended max.
        public var underProvisioned = 0
        /// Out-of-memory runs whose recorded peak fits the recommended executor memory.
        public var avoidedOOMs = 0
        public var costRequestedUSD = 0.0
        public var costRecommendedUSD = 0.0

        public init() {}

        public var underProvisionedPercent: Double { runsScored > 0 ? Double(underProvisioned) / Double(runsScored) * 100 : 0 }
        public var savingPercent: Double { costRequestedUSD > 0 ? (costRequestedUSD - costRecommendedUSD) / costRequestedUSD * 100 : 0 }

        public mutating func add(_ other: Score) {
            runsScored += other.runsScored
            underProvisioned += other.underProvisioned
            avoidedOOMs += other.avoidedOOMs
            costRequestedUSD += other.costRequestedUSD
            costRecommendedUSD += other.costRecommendedUSD
        }

        public var jsonMembers: [JSONObject.Member] {
            [
                .init("runs_scored", .int(Int64(runsScored))), .init("under_provisioned", .int(Int64(underProvisioned))),
                .init("under_provisioned_pct", .number(underProvisionedPercent)), .init("avoided_ooms", .int(Int64(avoidedOOMs))),
                .init("cost_requested_usd", .number(costRequestedUSD)), .init("cost_recommended_usd", .number(costRecommendedUSD)),
                .init("saving_pct", .number(savingPercent)),
            ]
        }
    }

    public let model: SizingModel

    public init(model: SizingModel = SizingModel()) {
        self.model = model
    }

    /// Scores one job's runs (any order) submitted at or after `from`. A run is scored when it
    /// finished, has metrics and a request, and earlier runs gave a recommendation with some
    /// confidence; runs before that keep their request and are not counted. Earlier runs are
    /// evidence whether or not they are scored.
    public func score(jobPath: String, runs: [SizingRun], from: Int64? = nil) -> Score {
        let ordered = runs.sorted { ($0.submitTime, $0.executionID) < ($1.submitTime, $1.executionID) }
        let estimate = RunCostEstimate(prices: model.policy.prices)
        let lookback = model.policy.lookbackDays * SizingPolicy.millisecondsPerDay
        var score = Score()
        var windowStart = 0
        for (index, run) in ordered.enumerated() {
            guard run.state.isFinal, run.submitTime >= from ?? .min, let metrics = run.metrics, let requested = run.requested else { continue }
            while windowStart < index && ordered[windowStart].submitTime < run.submitTime - lookback { windowStart += 1 }
            let earlier = ordered[windowStart..<index].filter { $0.submitTime < run.submitTime }
            let recommendation = model.recommend(jobPath: jobPath, runs: Array(earlier), current: requested, asOf: run.submitTime)
            guard recommendation.confidence > 0 else { continue }
            score.runsScored += 1
            let peak = metrics.value(.peakExecutorMemoryMB) ?? 0
            let executors = metrics.value(.executorsPeak) ?? 0
            if peak > Double(recommendation.executorMemoryMB.target) || executors > Double(recommendation.maxExecutors.target) {
                score.underProvisioned += 1
            }
            if run.outOfMemory && peak > 0 && peak <= Double(recommendation.executorMemoryMB.target) {
                score.avoidedOOMs += 1
            }
            score.costRequestedUSD += estimate.actual(run)
            score.costRecommendedUSD += estimate.under(recommendation, like: run)
        }
        return score
    }
}
