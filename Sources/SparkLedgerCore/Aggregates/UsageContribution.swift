/// The row of daily usage an execution belongs to (contract §7), at the grain the metrics of §8
/// need: `usage` rolls `namespace` and `vendor` up; metrics keep them as attributes.
public struct DailyUsageKey: Sendable, Hashable, Comparable {
    public var day: UTCDay
    public var team: String
    public var jobPath: String
    public var namespace: String
    public var vendor: String

    public init(day: UTCDay, team: String, jobPath: String, namespace: String, vendor: String) {
        self.day = day
        self.team = team
        self.jobPath = jobPath
        self.namespace = namespace
        self.vendor = vendor
    }

    /// The day and the job path alone: keys that differ only in team, namespace or vendor are
    /// rare and `==` tells them apart, while hashing all four strings was ~800 instructions a
    /// look-up, ~4 % of the writer's (callgrind: its usage rows are dictionaries by this key).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(day)
        hasher.combine(jobPath)
    }

    public static func < (lhs: DailyUsageKey, rhs: DailyUsageKey) -> Bool {
        if lhs.day != rhs.day { return lhs.day < rhs.day }
        if lhs.team != rhs.team { return UTF8Order.precedes(lhs.team, rhs.team) }
        if lhs.jobPath != rhs.jobPath { return UTF8Order.precedes(lhs.jobPath, rhs.jobPath) }
        if lhs.namespace != rhs.namespace { return UTF8Order.precedes(lhs.namespace, rhs.namespace) }
        return UTF8Order.precedes(lhs.vendor, rhs.vendor)
    }
}

/// What one execution adds to its day's usage. The store keeps these numbers on the execution's
/// row, so a day can be recomputed from its executions alone, always summed in the same order.
public struct UsageContribution: Sendable, Equatable {
    public var key: DailyUsageKey
    public var state: ExecutionState
    public var costUSD: Double
    /// Executor plus driver core-seconds.
    public var coreSeconds: Double
    /// Executor plus driver memory, GiB-seconds.
    public var memoryGiBSeconds: Double
    public var shuffleReadBytes: Int64
    public var shuffleWriteBytes: Int64
    public var shuffleFetchFailures: Int64
    /// Bytes spilled to disk (`disk_spill_bytes`). Spark's memory spill measures the same data
    /// in its deserialized form, so adding both would count it twice.
    public var spillBytes: Int64
    public var tasks: Int64
    public var failedTasks: Int64
    public var executorsAdded: Int64
    public var executorsRemoved: Int64
    /// Set for finished executions only.
    public var durationMs: Int64?
    /// Set once the execution has started.
    public var queueMs: Int64?

    public init(key: DailyUsageKey, state: ExecutionState, costUSD: Double = 0, coreSeconds: Double = 0,
                memoryGiBSeconds: Double = 0, shuffleReadBytes: Int64 = 0, shuffleWriteBytes: Int64 = 0,
                shuffleFetchFailures: Int64 = 0, spillBytes: Int64 = 0, tasks: Int64 = 0, failedTasks: Int64 = 0,
                executorsAdded: Int64 = 0, executorsRemoved: Int64 = 0, durationMs: Int64? = nil, queueMs: Int64? = nil) {
        self.key = key
        self.state = state
        self.costUSD = costUSD
        self.coreSeconds = coreSeconds
        self.memoryGiBSeconds = memoryGiBSeconds
        self.shuffleReadBytes = shuffleReadBytes
        self.shuffleWriteBytes = shuffleWriteBytes
        self.shuffleFetchFailures = shuffleFetchFailures
        self.spillBytes = spillBytes
        self.tasks = tasks
        self.failedTasks = failedTasks
        self.executorsAdded = executorsAdded
        self.executorsRemoved = executorsRemoved
        self.durationMs = durationMs
        self.queueMs = queueMs
    }

    /// Nil for executions with no SUBMIT: they have no submit day and stay out of the aggregates.
    public init?(snapshot: borrowing ExecutionSnapshot, prices: PriceConfiguration) {
        guard snapshot.hasSubmit, let submitTime = snapshot.submitTime, let team = snapshot.team,
              let jobPath = snapshot.jobPath else { return nil }
        let key = DailyUsageKey(
            day: UTCDay(containing: submitTime), team: team, jobPath: jobPath,
            namespace: snapshot.namespace ?? "sjns-\(team)", vendor: (snapshot.vendor ?? .sk8).rawValue)
        self.init(key: key, state: snapshot.state)
        if let metrics = snapshot.metrics {
            costUSD = CostModel(prices: prices).cost(of: metrics)
            coreSeconds = metrics.executorCoreSeconds + metrics.driverCoreSeconds
            memoryGiBSeconds = (metrics.executorMemoryMBSeconds + metrics.driverMemoryMBSeconds) / 1024
            shuffleReadBytes = metrics.count(.shuffleReadBytes) ?? 0
            shuffleWriteBytes = metrics.count(.shuffleWriteBytes) ?? 0
            shuffleFetchFailures = metrics.count(.shuffleFetchFailures) ?? 0
            spillBytes = metrics.count(.diskSpillBytes) ?? 0
            tasks = metrics.count(.tasks) ?? 0
            failedTasks = metrics.count(.failedTasks) ?? 0
            executorsAdded = metrics.count(.executorsAdded) ?? 0
            executorsRemoved = metrics.count(.executorsRemoved) ?? 0
        }
        durationMs = snapshot.state.isFinal ? snapshot.durationMs : nil
        queueMs = snapshot.queueMs
    }
}
