/// One run of a job as its history shows it: outcome, timing, cost and shuffle.
public struct JobRun: Sendable, Equatable {
    public var executionID: String
    public var state: ExecutionState
    public var attempt: Int64
    public var failureKind: FailureKind?
    public var errorClass: ErrorClass?
    public var submitTime: Int64?
    public var startTime: Int64?
    public var endTime: Int64?
    public var queueMs: Int64?
    public var durationMs: Int64?
    public var costUSD: Double?
    public var shuffleReadBytes: Int64
    public var shuffleWriteBytes: Int64
    public var spillBytes: Int64
    public var shuffleFetchFailures: Int64

    public init(executionID: String, state: ExecutionState, attempt: Int64 = 1, failureKind: FailureKind? = nil,
                errorClass: ErrorClass? = nil, submitTime: Int64? = nil, startTime: Int64? = nil, endTime: Int64? = nil,
                queueMs: Int64? = nil, durationMs: Int64? = nil, costUSD: Double? = nil, shuffleReadBytes: Int64 = 0,
                shuffleWriteBytes: Int64 = 0, spillBytes: Int64 = 0, shuffleFetchFailures: Int64 = 0) {
        self.executionID = executionID
        self.state = state
        self.attempt = attempt
        self.failureKind = failureKind
        self.errorClass = errorClass
        self.submitTime = submitTime
        self.startTime = startTime
        self.endTime = endTime
        self.queueMs = queueMs
        self.durationMs = durationMs
        self.costUSD = costUSD
        self.shuffleReadBytes = shuffleReadBytes
        self.shuffleWriteBytes = shuffleWriteBytes
        self.spillBytes = spillBytes
        self.shuffleFetchFailures = shuffleFetchFailures
    }

    public var json: JSONObject {
        func integer(_ value: Int64?) -> JSONValue { value.map(JSONValue.int) ?? .null }
        return JSONObject([
            .init("execution_id", .string(executionID)), .init("state", .string(state.rawValue)), .init("attempt", .int(attempt)),
            .init("failure_kind", failureKind.map { .string($0.rawValue) } ?? .null),
            .init("error_class", errorClass.map { .string($0.rawValue) } ?? .null),
            .init("submit_time", integer(submitTime)), .init("start_time", integer(startTime)), .init("end_time", integer(endTime)),
            .init("queue_ms", integer(queueMs)), .init("duration_ms", integer(durationMs)),
            .init("cost_usd", costUSD.map(JSONValue.number) ?? .null),
            .init("shuffle_read_bytes", .int(shuffleReadBytes)), .init("shuffle_write_bytes", .int(shuffleWriteBytes)),
            .init("spill_bytes", .int(spillBytes)), .init("shuffle_fetch_failures", .int(shuffleFetchFailures)),
        ])
    }

    public static let jsonKeys = [
        "execution_id", "state", "attempt", "failure_kind", "error_class", "submit_time", "start_time", "end_time", "queue_ms",
        "duration_ms", "cost_usd", "shuffle_read_bytes", "shuffle_write_bytes", "spill_bytes", "shuffle_fetch_failures",
    ]
}

/// What a job's runs add up to: outcomes, success rate, duration percentiles of its succeeded
/// runs (nearest rank), queue time, cost and shuffle.
public struct JobRunSummary: Sendable, Equatable {
    public var runs: Int64 = 0
    public var succeeded: Int64 = 0
    public var failed: Int64 = 0
    public var cancelled: Int64 = 0
    public var active: Int64 = 0
    /// succeeded / (succeeded + failed + cancelled); nil with no finished run.
    public var successRate: Double?
    public var durationP50Ms: Int64?
    public var durationP95Ms: Int64?
    public var queueP50Ms: Int64?
    public var queueP95Ms: Int64?
    public var costUSD: Double = 0
    public var shuffleReadBytes: Int64 = 0
    public var shuffleWriteBytes: Int64 = 0

    public init(_ runs: some Sequence<JobRun>) {
        var durations: [Int64] = []
        var queues: [Int64] = []
        for run in runs {
            self.runs += 1
            switch run.state {
            case .succeeded:
                succeeded += 1
                if let duration = run.durationMs { durations.append(duration) }
            case .failed: failed += 1
            case .cancelled: cancelled += 1
            case .submitted, .running: active += 1
            }
            if let queue = run.queueMs { queues.append(queue) }
            costUSD += run.costUSD ?? 0
            shuffleReadBytes = shuffleReadBytes.saturatingAdd(run.shuffleReadBytes)
            shuffleWriteBytes = shuffleWriteBytes.saturatingAdd(run.shuffleWriteBytes)
        }
        let finished = succeeded + failed + cancelled
        successRate = finished > 0 ? Double(succeeded) / Double(finished) : nil
        durations.sort()
        queues.sort()
        durationP50Ms = Self.nearestRank(durations, 0.50)
        durationP95Ms = Self.nearestRank(durations, 0.95)
        queueP50Ms = Self.nearestRank(queues, 0.50)
        queueP95Ms = Self.nearestRank(queues, 0.95)
    }

    /// The smallest value with at least `fraction` of the values at or below it.
    public static func nearestRank(_ sorted: [Int64], _ fraction: Double) -> Int64? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    public var json: JSONObject {
        func integer(_ value: Int64?) -> JSONValue { value.map(JSONValue.int) ?? .null }
        return JSONObject([
            .init("runs", .int(runs)), .init("succeeded", .int(succeeded)), .init("failed", .int(failed)),
            .init("cancelled", .int(cancelled)), .init("active", .int(active)),
            .init("success_rate", successRate.map(JSONValue.number) ?? .null),
            .init("duration_p50_ms", integer(durationP50Ms)), .init("duration_p95_ms", integer(durationP95Ms)),
            .init("queue_p50_ms", integer(queueP50Ms)), .init("queue_p95_ms", integer(queueP95Ms)),
            .init("cost_usd", .number(costUSD)), .init("shuffle_read_bytes", .int(shuffleReadBytes)),
            .init("shuffle_write_bytes", .int(shuffleWriteBytes)),
        ])
    }
}
