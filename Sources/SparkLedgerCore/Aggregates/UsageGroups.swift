/// Daily usage rolled up to any combination of day, team and job_path (the query API's
/// `group_by`), in the JSON shape `usage --format json` prints.
public enum UsageDimension: String, Sendable, CaseIterable {
    case day, team
    case jobPath = "job_path"
}

public struct UsageGroup: Sendable, Equatable {
    public var day: UTCDay?
    public var team: String?
    public var jobPath: String?
    public var usage: DailyUsage

    public init(day: UTCDay?, team: String?, jobPath: String?, usage: DailyUsage) {
        self.day = day
        self.team = team
        self.jobPath = jobPath
        self.usage = usage
    }

    /// Rows summed per distinct value of `dimensions` (all rows in one group when empty), sorted
    /// by day, team, job_path.
    public static func group(_ rows: some Sequence<DailyUsage>, by dimensions: Set<UsageDimension>) -> [UsageGroup] {
        var groups: [DailyUsageKey: UsageGroup] = [:]
        for row in rows {
            let key = DailyUsageKey(day: dimensions.contains(.day) ? row.key.day : UTCDay(daysSinceEpoch: 0),
                                    team: dimensions.contains(.team) ? row.key.team : "",
                                    jobPath: dimensions.contains(.jobPath) ? row.key.jobPath : "", namespace: "", vendor: "")
            if groups[key] == nil {
                groups[key] = UsageGroup(day: dimensions.contains(.day) ? row.key.day : nil,
                                         team: dimensions.contains(.team) ? row.key.team : nil,
                                         jobPath: dimensions.contains(.jobPath) ? row.key.jobPath : nil, usage: DailyUsage(key: key))
            }
            groups[key]?.usage.add(row)
        }
        return groups.sorted { $0.key < $1.key }.map(\.value)
    }

    /// The grouping keys present, then the totals.
    public var json: JSONObject {
        var members: [JSONObject.Member] = []
        if let day { members.append(.init("day", .string(day.description))) }
        if let team { members.append(.init("team", .string(team))) }
        if let jobPath { members.append(.init("job_path", .string(jobPath))) }
        return JSONObject(members + usage.totalsJSON)
    }
}

extension DailyUsage {
    /// The keys of `totalsJSON`, in order.
    public static let totalKeys = [
        "executions", "succeeded", "failed", "cancelled", "cost_usd", "core_seconds", "memory_gib_seconds",
        "shuffle_read_bytes", "shuffle_write_bytes", "shuffle_fetch_failures", "spill_bytes", "tasks", "failed_tasks",
        "duration_ms_sum", "duration_count",
    ]

    /// The contract's §7 totals of this row, snake_case.
    public var totalsJSON: [JSONObject.Member] {
        [
            .init("executions", .int(executions)), .init("succeeded", .int(succeeded)), .init("failed", .int(failed)),
            .init("cancelled", .int(cancelled)), .init("cost_usd", .number(costUSD)), .init("core_seconds", .number(coreSeconds)),
            .init("memory_gib_seconds", .number(memoryGiBSeconds)), .init("shuffle_read_bytes", .int(shuffleReadBytes)),
            .init("shuffle_write_bytes", .int(shuffleWriteBytes)), .init("shuffle_fetch_failures", .int(shuffleFetchFailures)),
            .init("spill_bytes", .int(spillBytes)), .init("tasks", .int(tasks)), .init("failed_tasks", .int(failedTasks)),
            .init("duration_ms_sum", .int(durationMsSum)), .init("duration_count", .int(durationCount)),
        ]
    }
}
