import SparkLedgerCore

/// What to generate.
public struct HistoryConfiguration: Sendable {
    public var executions: Int
    public var seed: UInt64
    /// The history ends here (epoch ms); events after it are not delivered, so the last
    /// executions are still queued or running.
    public var end: Int64
    /// Recurring jobs; by default one per ~40 executions.
    public var jobs: Int?
    /// Share of events delivered late (1 min – 6 h after they happened).
    public var lateRate: Double
    /// Share of events delivered twice (the copy with its keys in another order).
    public var duplicateRate: Double
    /// Share of events followed by a bad record (one of every rejection reason).
    public var invalidRate: Double
    /// Share of executions whose SUBMIT never arrives.
    public var lostSubmitRate: Double

    /// 2026-11-01T00:00:00Z.
    public static let defaultEnd: Int64 = 1_793_491_200_000

    public init(executions: Int, seed: UInt64 = 1, end: Int64 = HistoryConfiguration.defaultEnd, jobs: Int? = nil,
                lateRate: Double = 0.02, duplicateRate: Double = 0.01, invalidRate: Double = 0, lostSubmitRate: Double = 0.002) {
        self.executions = executions
        self.seed = seed
        self.end = end
        self.jobs = jobs
        self.lateRate = lateRate
        self.duplicateRate = duplicateRate
        self.invalidRate = invalidRate
        self.lostSubmitRate = lostSubmitRate
    }
}

/// Counts of what a generator wrote.
public struct HistorySummary: Sendable, Equatable {
    public var executions = 0
    public var lines = 0
    /// Distinct valid events written.
    public var events = 0
    /// Second deliveries of an event, identical in content.
    public var duplicates = 0
    /// Bad records written, by the reason the pipeline must give them.
    public var invalid: [RejectionReason: Int] = [:]
    public var firstTimestamp: Int64?
    public var lastTimestamp: Int64?
}

/// Writes a realistic synthetic history as NDJSON lines in delivery order: teams and recurring
/// jobs with stable, over-provisioned resource profiles; SK8 queues of seconds and EMR / DBR queues
/// of minutes; successes, user failures, OOMs, infrastructure failures, cancels and operator
/// restarts; auto-retries that name their parent; late, duplicated and (on request) invalid
/// records. Deterministic for a seed.
public struct HistoryGenerator {
    public let configuration: HistoryConfiguration
    private var random: RandomSource
    private let jobs: [JobProfile]
    private let start: Int64
    private var pending = MinHeap<Delivery>()
    private var deliverySequence: Int64 = 0
    private var invalidFactory = InvalidRecordFactory()
    public private(set) var summary = HistorySummary()

    private struct Delivery: Comparable {
        var time: Int64
        var sequence: Int64
        var line: [UInt8]
        var isEvent: Bool
        var eventTime: Int64

        static func < (lhs: Delivery, rhs: Delivery) -> Bool {
            (lhs.time, lhs.sequence) < (rhs.time, rhs.sequence)
        }
    }

    public init(_ configuration: HistoryConfiguration) {
        self.configuration = configuration
        random = RandomSource(seed: configuration.seed)
        let jobCount = configuration.jobs ?? min(20_000, max(24, configuration.executions / 40))
        jobs = JobCatalog.jobs(count: jobCount, random: &random)
        // Span the history so that the schedules yield about the requested number of runs.
        let runsPerDay = jobs.reduce(0.0) { $0 + 24 / Double($1.periodHours) }
        let days = max(1, Double(configuration.executions) * 0.97 / runsPerDay)
        start = configuration.end - Int64(days * Double(UTCDay.millisecondsPerDay))
    }

    /// Generates the history, handing each line (without newline) to `write`.
    public mutating func generate(_ write: ([UInt8]) throws -> Void) rethrows {
        var schedule = MinHeap<ScheduledRun>()
        for (index, job) in jobs.enumerated() {
            let period = job.periodHours * 3_600_000
            let first = start - start % period + job.offsetMinutes * 60_000 + (random.integer(0...3) * period)
            schedule.push(ScheduledRun(time: max(first, start), job: index, attempt: 1, parent: nil))
        }
        var retries = MinHeap<ScheduledRun>()
        while summary.executions < configuration.executions {
            let useRetry = retries.peek.map { retry in schedule.peek.map { retry < $0 } ?? true } ?? false
            guard let run = useRetry ? retries.pop() : schedule.pop() else { break }
            if run.time > configuration.end { break }
            if !useRetry {
                let period = jobs[run.job].periodHours * 3_600_000
                schedule.push(ScheduledRun(time: run.time + period, job: run.job, attempt: 1, parent: nil))
            }
            try flush(before: run.time, write)
            let submit = run.time + (useRetry ? 0 : random.integer(0...90_000))
            guard submit <= configuration.end else { continue }
            let executionID = random.uuid()
            var lifecycle = ExecutionLifecycle(
                job: jobs[run.job], executionID: executionID, submitTime: submit, attempt: run.attempt,
                parentExecutionID: run.parent, day: Double(submit - start) / Double(UTCDay.millisecondsPerDay))
            lifecycle.play(&random)
            summary.executions += 1
            deliver(lifecycle.events, executionID: executionID)
            // The platform's auto-retry resubmits system failures as a new execution.
            if (lifecycle.outcome == .outOfMemory || lifecycle.outcome == .infrastructureFailure) && run.attempt < 3,
               let last = lifecycle.events.last?.time {
                retries.push(ScheduledRun(time: last + random.integer(60_000...300_000), job: run.job,
                                          attempt: run.attempt + 1, parent: executionID))
            }
        }
        try flush(before: .max, write)
    }

    private mutating func deliver(_ events: [PlannedEvent], executionID: String) {
        let dropSubmit = random.chance(configuration.lostSubmitRate)
        for planned in events where planned.time <= configuration.end {
            if dropSubmit && planned.type == .submit { continue }
            let envelope = JSONObject([
                .init("event_id", .string(random.uuid())),
                .init("execution_id", .string(executionID)),
                .init("event_type", .string(planned.type.rawValue)),
                .init("timestamp", .int(planned.time)),
                .init("source", .string(planned.source.rawValue)),
                .init("schema_version", .int(1)),
                .init("payload", .object(planned.payload)),
            ])
            var delay = random.integer(5...400)
            if random.chance(configuration.lateRate) { delay += random.integer(60_000...6 * 3_600_000) }
            enqueue(JSONWriter.bytes(.object(envelope), keyOrder: .documentOrder), at: planned.time + delay, event: planned.time)
            summary.events += 1
            if random.chance(configuration.duplicateRate) {
                // At-least-once delivery: the same event again, its keys in another order.
                enqueue(JSONWriter.bytes(.object(envelope), keyOrder: .canonical), at: planned.time + delay + random.integer(1000...600_000), event: planned.time)
                summary.duplicates += 1
            }
            if random.chance(configuration.invalidRate) {
                let (line, reason) = invalidFactory.make(from: envelope, random: &random)
                enqueue(line, at: planned.time + delay + 1, event: nil)
                summary.invalid[reason, default: 0] += 1
            }
        }
    }

    private mutating func enqueue(_ line: [UInt8], at time: Int64, event eventTime: Int64?) {
        deliverySequence += 1
        pending.push(Delivery(time: time, sequence: deliverySequence, line: line, isEvent: eventTime != nil, eventTime: eventTime ?? 0))
    }

    private mutating func flush(before time: Int64, _ write: ([UInt8]) throws -> Void) rethrows {
        while let next = pending.peek, next.time < time {
            guard let delivery = pending.pop() else { break }
            try write(delivery.line)
            summary.lines += 1
            if delivery.isEvent {
                summary.firstTimestamp = min(summary.firstTimestamp ?? delivery.eventTime, delivery.eventTime)
                summary.lastTimestamp = max(summary.lastTimestamp ?? delivery.eventTime, delivery.eventTime)
            }
        }
    }
}

private struct ScheduledRun: Comparable {
    var time: Int64
    var job: Int
    var attempt: Int64
    var parent: String?

    static func < (lhs: ScheduledRun, rhs: ScheduledRun) -> Bool {
        (lhs.time, lhs.job) < (rhs.time, rhs.job)
    }
}
