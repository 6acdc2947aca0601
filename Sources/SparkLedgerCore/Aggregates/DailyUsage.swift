/// Usage of one (UTC day of submit, team, job_path, namespace, vendor) (contract §7), plus what the
/// metrics of §8 need beyond it: executor scale events, executions still active, and latency
/// histograms. A projection: a pure function of the executions it sums, in the order given.
public struct DailyUsage: Sendable, Equatable {
    public var key: DailyUsageKey
    public var executions: Int64 = 0
    public var succeeded: Int64 = 0
    public var failed: Int64 = 0
    public var cancelled: Int64 = 0
    /// Executions of the day still SUBMITTED / RUNNING (the `active` gauge).
    public var activeSubmitted: Int64 = 0
    public var activeRunning: Int64 = 0
    public var costUSD: Double = 0
    public var coreSeconds: Double = 0
    public var memoryGiBSeconds: Double = 0
    public var shuffleReadBytes: Int64 = 0
    public var shuffleWriteBytes: Int64 = 0
    public var shuffleFetchFailures: Int64 = 0
    public var spillBytes: Int64 = 0
    public var tasks: Int64 = 0
    public var failedTasks: Int64 = 0
    public var executorsAdded: Int64 = 0
    public var executorsRemoved: Int64 = 0
    /// Sum and count of `duration_ms` over finished executions.
    public var durationMsSum: Int64 = 0
    public var durationCount: Int64 = 0
    public var queueMsSum: Int64 = 0
    public var queueCount: Int64 = 0
    public var succeededDurations = LatencyHistogram(boundsSeconds: LatencyHistogram.durationBoundsSeconds)
    public var failedDurations = LatencyHistogram(boundsSeconds: LatencyHistogram.durationBoundsSeconds)
    public var cancelledDurations = LatencyHistogram(boundsSeconds: LatencyHistogram.durationBoundsSeconds)
    public var queueTimes = LatencyHistogram(boundsSeconds: LatencyHistogram.queueTimeBoundsSeconds)

    public init(key: DailyUsageKey) {
        self.key = key
    }

    public mutating func add(_ execution: UsageContribution) {
        executions &+= 1
        switch execution.state {
        case .succeeded: succeeded &+= 1
        case .failed: failed &+= 1
        case .cancelled: cancelled &+= 1
        case .submitted: activeSubmitted &+= 1
        case .running: activeRunning &+= 1
        }
        costUSD += execution.costUSD
        coreSeconds += execution.coreSeconds
        memoryGiBSeconds += execution.memoryGiBSeconds
        // Saturating: a hostile metrics payload must not be able to trap the process.
        shuffleReadBytes = shuffleReadBytes.saturatingAdd(execution.shuffleReadBytes)
        shuffleWriteBytes = shuffleWriteBytes.saturatingAdd(execution.shuffleWriteBytes)
        shuffleFetchFailures = shuffleFetchFailures.saturatingAdd(execution.shuffleFetchFailures)
        spillBytes = spillBytes.saturatingAdd(execution.spillBytes)
        tasks = tasks.saturatingAdd(execution.tasks)
        failedTasks = failedTasks.saturatingAdd(execution.failedTasks)
        executorsAdded = executorsAdded.saturatingAdd(execution.executorsAdded)
        executorsRemoved = executorsRemoved.saturatingAdd(execution.executorsRemoved)
        if let duration = execution.durationMs {
            durationMsSum = durationMsSum.saturatingAdd(duration)
            durationCount &+= 1
            switch execution.state {
            case .succeeded: succeededDurations.record(milliseconds: duration)
            case .failed: failedDurations.record(milliseconds: duration)
            case .cancelled: cancelledDurations.record(milliseconds: duration)
            case .submitted, .running: break
            }
        }
        if let queue = execution.queueMs {
            queueMsSum = queueMsSum.saturatingAdd(queue)
            queueCount &+= 1
            queueTimes.record(milliseconds: queue)
        }
    }

    /// Adds another row's totals into this one (rolling rows up to a coarser key).
    public mutating func add(_ other: DailyUsage) {
        executions &+= other.executions
        succeeded &+= other.succeeded
        failed &+= other.failed
        cancelled &+= other.cancelled
        activeSubmitted &+= other.activeSubmitted
        activeRunning &+= other.activeRunning
        costUSD += other.costUSD
        coreSeconds += other.coreSeconds
        memoryGiBSeconds += other.memoryGiBSeconds
        shuffleReadBytes = shuffleReadBytes.saturatingAdd(other.shuffleReadBytes)
        shuffleWriteBytes = shuffleWriteBytes.saturatingAdd(other.shuffleWriteBytes)
        shuffleFetchFailures = shuffleFetchFailures.saturatingAdd(other.shuffleFetchFailures)
        spillBytes = spillBytes.saturatingAdd(other.spillBytes)
        tasks = tasks.saturatingAdd(other.tasks)
        failedTasks = failedTasks.saturatingAdd(other.failedTasks)
        executorsAdded = executorsAdded.saturatingAdd(other.executorsAdded)
        executorsRemoved = executorsRemoved.saturatingAdd(other.executorsRemoved)
        durationMsSum = durationMsSum.saturatingAdd(other.durationMsSum)
        durationCount &+= other.durationCount
        queueMsSum = queueMsSum.saturatingAdd(other.queueMsSum)
        queueCount &+= other.queueCount
        succeededDurations.add(other.succeededDurations)
        failedDurations.add(other.failedDurations)
        cancelledDurations.add(other.cancelledDurations)
        queueTimes.add(other.queueTimes)
    }

    /// Groups contributions by key, summing each group in the order given; rows sorted by key.
    public static func aggregate(_ contributions: some Sequence<UsageContribution>) -> [DailyUsage] {
        var rows: [DailyUsageKey: DailyUsage] = [:]
        for contribution in contributions {
            rows[contribution.key, default: DailyUsage(key: contribution.key)].add(contribution)
        }
        return rows.values.sorted { $0.key < $1.key }
    }
}

extension Int64 {
    /// Addition that stops at `Int64.max` instead of trapping.
    public func saturatingAdd(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }
}
