import SparkLedgerCore

/// What to generate.
public struct HistoryConfiguration: Sendable {
    public var executions: Int
    public var seed: UInt64
    /// The history ends here (epoch ms), or two minutes after the last submit when the requested
    /// executions are reached first. Events after the end are not delivered, so the last
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
        enum Kind { case event, duplicate, invalid(RejectionReason) }
        var time: Int64
        var sequence: Int64
        var line: [UInt8]
        var kind: Kind
        var eventTime: Int64

        static func < (lhs: Delivery, rhs: Delivery) -> Bool {
            (lhs.time, lhs.sequence) < (rhs.time, rhs.sequence)
        }

        static func == (lhs: Delivery, rhs: Delivery) -> Bool {
            lhs.sequence == rhs.sequence
        }
    }

    public init(_ configuration: HistoryConfiguration) {
        self.configuration = configuration
        random = RandomSource(seed: configuration.seed)
        let jobCount = configuration.jobs ?? min(20_000, max(24, configuration.executions / 40))
        jobs = JobCatalog.jobs(count: jobCount, random: &random)
        // Start the history so that the schedules alone yield at least the requested number of
        // runs before `end` (auto-retries only add more): the generator then stops at exactly N.
        start = Self.start(for: jobs, runs: configuration.executions, end: configuration.end)
    }

    /// The first run of a job at or after `start`.
    private static func firstRun(of job: JobProfile, after start: Int64) -> Int64 {
        let period = job.periodHours * 3_600_000
        let aligned = start - start % period + job.offsetMinutes * 60_000
        return aligned >= start ? aligned : aligned + period
    }

    private static func runs(of jobs: [JobProfile], from start: Int64, to end: Int64) -> Int {
        jobs.reduce(0) { total, job in
            let first = firstRun(of: job, after: start)
            return total + (first > end ? 0 : Int((end - first) / (job.periodHours * 3_600_000)) + 1)
        }
    }

    /// The latest start (to the minute) from which the schedules reach `runs` by `end`.
    private static func start(for jobs: [JobProfile], runs wanted: Int, end: Int64) -> Int64 {
        var latest = end  // too late: no runs
        var earliest = end - 60_000
        while runs(of: jobs, from: earliest, to: end) < wanted {
            earliest = end - (end - earliest) * 2
        }
        while latest - earliest > 60_000 {
            let middle = earliest + (latest - earliest) / 2
            if runs(of: jobs, from: middle, to: end) >= wanted { earliest = middle } else { latest = middle }
        }
        return earliest
    }

    /// Generates the history, handing each line (without newline) to `write`.
    public mutating func generate(_ write: ([UInt8]) throws -> Void) rethrows {
        var schedule = MinHeap<ScheduledRun>()
        for (index, job) in jobs.enumerated() {
            schedule.push(ScheduledRun(time: Self.firstRun(of: job, after: start), job: index, attempt: 1, parent: nil))
        }
        var retries = MinHeap<ScheduledRun>()
        var lastSubmit = start
        while summary.executions < configuration.executions {
            let useRetry = retries.peek.map { retry in schedule.peek.map { retry < $0 } ?? true } ?? false
            guard let run = useRetry ? retries.pop() : schedule.pop() else { break }
            if run.time > configuration.end { break }
            if !useRetry {
                let period = jobs[run.job].periodHours * 3_600_000
                schedule.push(ScheduledRun(time: run.time + period, job: run.job, attempt: 1, parent: nil))
            }
            try flush(before: run.time, write)
            let submit = min(configuration.end, run.time + (useRetry ? 0 : random.integer(0...90_000)))
            let executionID = random.uuid()
            var lifecycle = ExecutionLifecycle(
                job: jobs[run.job], executionID: executionID, submitTime: submit, attempt: run.attempt,
                parentExecutionID: run.parent, day: Double(submit - start) / Double(UTCDay.millisecondsPerDay))
            lifecycle.play(&random)
            summary.executions += 1
            lastSubmit = submit
            deliver(lifecycle.events, executionID: executionID)
            // The platform's auto-retry resubmits system failures as a new execution.
            if (lifecycle.outcome == .outOfMemory || lifecycle.outcome == .infrastructureFailure) && run.attempt < 3,
               let last = lifecycle.events.last?.time {
                retries.push(ScheduledRun(time: last + random.integer(60_000...300_000), job: run.job,
                                          attempt: run.attempt + 1, parent: executionID))
            }
        }
        try flush(before: .max, until: min(configuration.end, lastSubmit + 120_000), write)
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
            enqueue(JSONWriter.bytes(.object(envelope), keyOrder: .documentOrder), at: planned.time + delay, kind: .event, eventTime: planned.time)
            if random.chance(configuration.duplicateRate) {
                // At-least-once delivery: the same event again, its keys in another order.
                enqueue(JSONWriter.bytes(.object(envelope), keyOrder: .canonical), at: planned.time + delay + random.integer(1000...600_000),
                        kind: .duplicate, eventTime: planned.time)
            }
            if random.chance(configuration.invalidRate) {
                let (line, reason) = invalidFactory.make(from: envelope, random: &random)
                enqueue(line, at: planned.time + delay + 1, kind: .invalid(reason), eventTime: planned.time)
            }
        }
    }

    private mutating func enqueue(_ line: [UInt8], at time: Int64, kind: Delivery.Kind, eventTime: Int64) {
        deliverySequence += 1
        pending.push(Delivery(time: time, sequence: deliverySequence, line: line, kind: kind, eventTime: eventTime))
    }

    /// Writes the deliveries due before `time`; of those, only events that happened by `cutoff`.
    private mutating func flush(before time: Int64, until cutoff: Int64 = .max, _ write: ([UInt8]) throws -> Void) rethrows {
        while let next = pending.peek, next.time < time {
            guard let delivery = pending.pop(), delivery.eventTime <= cutoff else { continue }
            try write(delivery.line)
            summary.lines += 1
            switch delivery.kind {
            case .event:
                summary.events += 1
                summary.firstTimestamp = min(summary.firstTimestamp ?? delivery.eventTime, delivery.eventTime)
                summary.lastTimestamp = max(summary.lastTimestamp ?? delivery.eventTime, delivery.eventTime)
            case .duplicate:
                summary.duplicates += 1
            case .invalid(let reason):
                summary.invalid[reason, default: 0] += 1
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
