import GRDB
import SparkLedgerCore

/// Which days of usage to read. Days are UTC and both bounds are inclusive.
public struct UsageFilter: Sendable, Equatable {
    public var since: UTCDay?
    public var until: UTCDay?
    public var team: String?
    public var jobPath: String?

    public init(since: UTCDay? = nil, until: UTCDay? = nil, team: String? = nil, jobPath: String? = nil) {
        self.since = since
        self.until = until
        self.team = team
        self.jobPath = jobPath
    }
}

extension SQLiteEventStore {
    /// Stored rows at full grain (day, team, job_path, namespace, vendor), sorted by key.
    public func dailyUsage(_ filter: UsageFilter = UsageFilter()) throws(StoreError) -> [DailyUsage] {
        let (whereClause, arguments) = Self.whereClause(filter)
        return try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM daily_usage \(whereClause) ORDER BY day, team, job_path, namespace, vendor",
                             arguments: arguments)
                .compactMap(Self.decodeUsage)
        }
    }

    /// Usage per (day, team, job_path) as contract §7 states it: namespaces and vendors summed.
    public func usage(_ filter: UsageFilter = UsageFilter()) throws(StoreError) -> [DailyUsage] {
        var rolled: [DailyUsage] = []
        for row in try dailyUsage(filter) {
            var key = row.key
            key.namespace = ""
            key.vendor = ""
            if let last = rolled.last, last.key == key {
                rolled[rolled.count - 1].add(row)
            } else {
                var first = DailyUsage(key: key)
                first.add(row)
                rolled.append(first)
            }
        }
        return rolled
    }

    private static func decodeUsage(_ row: Row) -> DailyUsage? {
        guard let day = UTCDay(iso: row["day"]) else { return nil }
        var usage = DailyUsage(key: DailyUsageKey(day: day, team: row["team"], jobPath: row["job_path"],
                                                  namespace: row["namespace"], vendor: row["vendor"]))
        decodeTotals(row, into: &usage)
        usage.activeSubmitted = row["active_submitted"]
        usage.activeRunning = row["active_running"]
        usage.executorsAdded = row["executors_added"]
        usage.executorsRemoved = row["executors_removed"]
        usage.queueMsSum = row["queue_ms_sum"]
        usage.queueCount = row["queue_count"]
        let durationBounds = LatencyHistogram.durationBoundsSeconds
        usage.succeededDurations = DailyUsageProjection.decodeHistogram(
            row["succeeded_duration_buckets"], bounds: durationBounds, sumMilliseconds: row["succeeded_duration_ms_sum"])
        usage.failedDurations = DailyUsageProjection.decodeHistogram(
            row["failed_duration_buckets"], bounds: durationBounds, sumMilliseconds: row["failed_duration_ms_sum"])
        usage.cancelledDurations = DailyUsageProjection.decodeHistogram(
            row["cancelled_duration_buckets"], bounds: durationBounds, sumMilliseconds: row["cancelled_duration_ms_sum"])
        usage.queueTimes = DailyUsageProjection.decodeHistogram(
            row["queue_time_buckets"], bounds: LatencyHistogram.queueTimeBoundsSeconds, sumMilliseconds: row["queue_ms_sum"])
        return usage
    }
}

extension SQLiteEventStore {
    /// Usage rolled up by `dimensions` (all rows in one group when empty), summed in SQL: the
    /// contract's totals only (histograms stay empty), sorted by day, team, job_path. What the
    /// query API serves; `UsageGroup.group` over `dailyUsage` gives the same totals.
    public func usageGroups(_ filter: UsageFilter, by dimensions: Set<UsageDimension>) throws(StoreError) -> [UsageGroup] {
        let (whereClause, arguments) = Self.whereClause(filter)
        let keys = UsageDimension.allCases.filter(dimensions.contains).map(\.rawValue)
        let groupClause = keys.isEmpty ? "" : "GROUP BY \(keys.joined(separator: ", ")) ORDER BY \(keys.joined(separator: ", "))"
        let sums = DailyUsage.totalKeys.map { "sum(\($0)) AS \($0)" }.joined(separator: ", ")
        let select = (keys + [sums]).joined(separator: ", ")
        // Without job_path, the per-team roll-up holds the same sums in far fewer rows.
        let table = dimensions.contains(.jobPath) || filter.jobPath != nil ? "daily_usage" : "daily_team_usage"
        return try read { db in
            try Row.fetchAll(db, sql: "SELECT \(select) FROM \(table) \(whereClause) \(groupClause)", arguments: arguments)
                .compactMap { row -> UsageGroup? in
                    let executions: Int64? = row["executions"]
                    guard let executions, executions > 0 else { return nil }  // no rows at all
                    let day = dimensions.contains(.day) ? UTCDay(iso: row["day"]) : nil
                    var usage = DailyUsage(key: DailyUsageKey(day: day ?? UTCDay(daysSinceEpoch: 0), team: row["team"] ?? "",
                                                              jobPath: row["job_path"] ?? "", namespace: "", vendor: ""))
                    Self.decodeTotals(row, into: &usage)
                    return UsageGroup(day: day, team: dimensions.contains(.team) ? row["team"] : nil,
                                      jobPath: dimensions.contains(.jobPath) ? row["job_path"] : nil, usage: usage)
                }
        }
    }

    /// `WHERE …` on `daily_usage` (or `daily_team_usage`, without job_path) for `filter`.
    private static func whereClause(_ filter: UsageFilter) -> (String, StatementArguments) {
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if let since = filter.since { conditions.append("day >= ?"); arguments.append(since.description) }
        if let until = filter.until { conditions.append("day <= ?"); arguments.append(until.description) }
        if let team = filter.team { conditions.append("team = ?"); arguments.append(team) }
        if let jobPath = filter.jobPath { conditions.append("job_path = ?"); arguments.append(jobPath) }
        return (conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "), StatementArguments(arguments) ?? [])
    }

    /// The contract's §7 totals (`DailyUsage.totalKeys`), from columns of those names.
    private static func decodeTotals(_ row: Row, into usage: inout DailyUsage) {
        usage.executions = row["executions"]
        usage.succeeded = row["succeeded"]
        usage.failed = row["failed"]
        usage.cancelled = row["cancelled"]
        usage.costUSD = row["cost_usd"]
        usage.coreSeconds = row["core_seconds"]
        usage.memoryGiBSeconds = row["memory_gib_seconds"]
        usage.shuffleReadBytes = row["shuffle_read_bytes"]
        usage.shuffleWriteBytes = row["shuffle_write_bytes"]
        usage.shuffleFetchFailures = row["shuffle_fetch_failures"]
        usage.spillBytes = row["spill_bytes"]
        usage.tasks = row["tasks"]
        usage.failedTasks = row["failed_tasks"]
        usage.durationMsSum = row["duration_ms_sum"]
        usage.durationCount = row["duration_count"]
    }
}
