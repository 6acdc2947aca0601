import GRDB
import SparkLedgerCore

/// Keeps `daily_usage` equal to `DailyUsage.aggregate` of the executions: a day row is always
/// recomputed from its executions in `execution_id` order, never adjusted by deltas, so sums of
/// money come out bit-identical however the history arrived (execution keys follow arrival
/// order, which differs between a file and Kafka's interleaved partitions).
struct DailyUsageProjection {
    private let db: Database
    private let selectDay: RawStatement
    private let upsertRow: RawStatement
    private let updateRow: RawStatement
    private let deleteRow: RawStatement
    /// nil while an older store migrates (version 2 rebuilds daily usage before version 4
    /// creates `daily_team_usage`).
    private let deleteTeamRow: RawStatement?
    private let rollUpTeamRow: RawStatement?

    /// `daily_team_usage`'s rows from `daily_usage`: append a WHERE and `GROUP BY day, team`.
    /// Sums run in the primary key's order, so they come out bit-identical on every rebuild.
    static let teamRollUpSelect = "SELECT day, team, sum(executions), sum(succeeded), sum(failed), sum(cancelled), sum(cost_usd), sum(core_seconds), sum(memory_gib_seconds), sum(shuffle_read_bytes), sum(shuffle_write_bytes), sum(shuffle_fetch_failures), sum(spill_bytes), sum(tasks), sum(failed_tasks), sum(duration_ms_sum), sum(duration_count) FROM daily_usage"

    init(db: Database) throws {
        self.db = db
        // No ORDER BY: SQLite would sort with a temporary b-tree on every call. The rows are
        // ordered by id below.
        selectDay = try RawStatement(db, """
            SELECT execution_id, \(Self.contributionColumns) FROM executions
            WHERE job_path = ?1 AND submit_time >= ?2 AND submit_time < ?3 AND team = ?4 AND namespace = ?5
              AND vendor = ?6 AND incomplete = 0
            """)
        upsertRow = try RawStatement(db, Self.upsertSQL)
        updateRow = try RawStatement(db, Self.updateSQL)
        deleteRow = try RawStatement(db, "DELETE FROM daily_usage WHERE day = ?1 AND team = ?2 AND job_path = ?3 AND namespace = ?4 AND vendor = ?5")
        let hasTeamTable = try db.tableExists("daily_team_usage")
        deleteTeamRow = hasTeamTable ? try RawStatement(db, "DELETE FROM daily_team_usage WHERE day = ?1 AND team = ?2") : nil
        rollUpTeamRow = hasTeamTable
            ? try RawStatement(db, "INSERT INTO daily_team_usage \(Self.teamRollUpSelect) WHERE day = ?1 AND team = ?2 GROUP BY day, team") : nil
    }

    static let contributionColumns = """
        state, cost_usd, core_seconds, memory_gib_seconds, shuffle_read_bytes, shuffle_write_bytes,
        shuffle_fetch_failures, spill_bytes, tasks, failed_tasks, executors_added, executors_removed, duration_ms, queue_ms
        """

    /// The executions of one row as the executions table has them now (a write session
    /// recomputes a row it does not remember from these: `UsageRowCache`).
    func members(of key: DailyUsageKey) throws -> UsageRowMembers {
        let select = selectDay
        select.bind(1, key.jobPath)
        select.bind(2, key.day.startMilliseconds)
        select.bind(3, key.day.startMilliseconds + UTCDay.millisecondsPerDay)
        select.bind(4, key.team)
        select.bind(5, key.namespace)
        select.bind(6, key.vendor)
        let members = UsageRowMembers()
        while try select.step() {
            members.contributions[select.string(0)] = Self.contribution(select, key: key, from: 1)
        }
        select.reset()
        return members
    }

    /// Writes one row as the sum of `members` (in execution_id order); deletes it when there
    /// are none. `stored`: the row is known to be in the table (an `UPDATE` then does, which
    /// skips the upsert's insert attempt: ~9 % of its cost).
    func write(_ key: DailyUsageKey, members: UsageRowMembers, stored: Bool = false) throws {
        // The dictionary's positions are sorted and its members read where they are: copying
        // them out retained their key's strings each. Read in place through `values`' `_modify`
        // (its getter returns a copy); nothing is changed.
        let positions = UTF8Order.sorted(members.contributions.indices, by: { members.contributions.keys[$0] })
        var row = DailyUsage(key: key)
        for position in positions {
            Self.add(&members.contributions.values[position], to: &row)
        }
        if row.executions == 0 {
            deleteRow.bind(1, key.day.description)
            deleteRow.bind(2, key.team)
            deleteRow.bind(3, key.jobPath)
            deleteRow.bind(4, key.namespace)
            deleteRow.bind(5, key.vendor)
            try deleteRow.execute()
        } else if stored {
            try update(row)
        } else {
            try upsert(row)
        }
    }

    /// `row.add(contribution)` with the contribution borrowed from where it is stored.
    private static func add(_ contribution: inout UsageContribution, to row: inout DailyUsage) {
        row.add(contribution)
    }

    /// Recomputes one (day, team) row of `daily_team_usage` from `daily_usage`.
    func recomputeTeam(day: UTCDay, team: String) throws {
        for statement in [deleteTeamRow, rollUpTeamRow].compactMap({ $0 }) {
            statement.bind(1, day.description)
            statement.bind(2, team)
            try statement.execute()
        }
    }

    /// An execution's contribution to its day, with the execution id that orders the sums.
    typealias IdentifiedContribution = (executionID: String, contribution: UsageContribution)

    /// Rebuilds every row from the executions table (migrations; replay of very large stores).
    func rebuildAll() throws {
        try db.execute(sql: "DELETE FROM daily_usage")
        let select = try RawStatement(db, """
            SELECT submit_time, team, job_path, namespace, vendor, \(Self.contributionColumns) FROM executions
            WHERE incomplete = 0 ORDER BY execution_id
            """)
        var rows: [DailyUsageKey: DailyUsage] = [:]
        while try select.step() {
            let key = DailyUsageKey(
                day: UTCDay(containing: select.int64(0)), team: select.string(1), jobPath: select.string(2),
                namespace: select.string(3), vendor: select.string(4))
            rows[key, default: DailyUsage(key: key)].add(Self.contribution(select, key: key, from: 5))
        }
        select.reset()
        try write(rows)
    }

    /// Rebuilds every row from the contributions of every complete execution (replay, which has
    /// just computed them): the same sums as `rebuildAll`, added in the same `execution_id` order,
    /// without reading the table back.
    func rebuild(from contributions: [IdentifiedContribution]) throws {
        try db.execute(sql: "DELETE FROM daily_usage")
        // Each row needs only its own executions in id order: group, then sum each small group.
        // Positions are grouped and sorted, and the contributions read where they are (sorting
        // the ~200-byte contributions themselves took 0.34 s for 89,000; copying each out
        // retained its key's strings).
        var groups: [DailyUsageKey: [Int]] = [:]
        for position in contributions.indices {
            groups[contributions[position].contribution.key, default: []].append(position)
        }
        var rows: [DailyUsageKey: DailyUsage] = [:]
        rows.reserveCapacity(groups.count)
        for index in groups.indices {
            let key = groups.keys[index]
            var row = DailyUsage(key: key)
            for position in UTF8Order.sorted(groups.values[index], by: { contributions[$0].executionID }) {
                row.add(contributions[position].contribution)
            }
            rows[key] = row
        }
        try write(rows)
    }

    /// Writes rebuilt rows (in key order) and the per-team roll-up. The dictionary's positions
    /// are sorted, not the rows (each holds its key's strings and three histograms).
    private func write(_ rows: [DailyUsageKey: DailyUsage]) throws {
        for index in rows.indices.sorted(by: { rows.keys[$0] < rows.keys[$1] }) {
            try upsert(rows.values[index])
        }
        if deleteTeamRow != nil {
            try db.execute(sql: "DELETE FROM daily_team_usage")
            try db.execute(sql: "INSERT INTO daily_team_usage \(Self.teamRollUpSelect) GROUP BY day, team")
        }
    }

    private static func contribution(_ row: RawStatement, key: DailyUsageKey, from column: Int32) -> UsageContribution {
        let state = ExecutionState(rawValue: row.string(column)) ?? .submitted
        return UsageContribution(
            key: key, state: state,
            costUSD: row.optionalDouble(column + 1) ?? 0,
            coreSeconds: row.double(column + 2),
            memoryGiBSeconds: row.double(column + 3),
            shuffleReadBytes: row.int64(column + 4),
            shuffleWriteBytes: row.int64(column + 5),
            shuffleFetchFailures: row.int64(column + 6),
            spillBytes: row.int64(column + 7),
            tasks: row.int64(column + 8),
            failedTasks: row.int64(column + 9),
            executorsAdded: row.int64(column + 10),
            executorsRemoved: row.int64(column + 11),
            durationMs: state.isFinal ? row.optionalInt64(column + 12) : nil,
            queueMs: row.optionalInt64(column + 13))
    }

    /// The key's columns (parameters ?1–?5) and the values' (?6–?33), in `bindRow`'s order.
    private static let keyColumns = ["day", "team", "job_path", "namespace", "vendor"]
    private static let valueColumns = [
        "executions", "succeeded", "failed", "cancelled", "active_submitted", "active_running", "cost_usd",
        "core_seconds", "memory_gib_seconds", "shuffle_read_bytes", "shuffle_write_bytes", "shuffle_fetch_failures",
        "spill_bytes", "tasks", "failed_tasks", "executors_added", "executors_removed", "duration_ms_sum",
        "duration_count", "queue_ms_sum", "queue_count", "succeeded_duration_buckets", "failed_duration_buckets",
        "cancelled_duration_buckets", "queue_time_buckets", "succeeded_duration_ms_sum", "failed_duration_ms_sum",
        "cancelled_duration_ms_sum",
    ]

    private static let upsertSQL: String = {
        let columns = keyColumns + valueColumns
        let parameters = (1...columns.count).map { "?\($0)" }.joined(separator: ", ")
        let updates = valueColumns.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        return "INSERT INTO daily_usage (\(columns.joined(separator: ", "))) VALUES (\(parameters)) "
            + "ON CONFLICT (\(keyColumns.joined(separator: ", "))) DO UPDATE SET \(updates)"
    }()

    /// The same values as a plain `UPDATE` of the row of ?1–?5.
    private static let updateSQL: String = {
        let assignments = valueColumns.enumerated().map { "\($1) = ?\($0 + keyColumns.count + 1)" }.joined(separator: ", ")
        let key = keyColumns.enumerated().map { "\($1) = ?\($0 + 1)" }.joined(separator: " AND ")
        return "UPDATE daily_usage SET \(assignments) WHERE \(key)"
    }()

    private func upsert(_ row: DailyUsage) throws {
        bindRow(row, to: upsertRow)
        try upsertRow.execute()
    }

    /// Rewrites a row known to be stored; upserts it if it turns out not to be.
    private func update(_ row: DailyUsage) throws {
        bindRow(row, to: updateRow)
        try updateRow.execute()
        if updateRow.changes == 0 { try upsert(row) }
    }

    /// Binds a row's key (?1–?5) and values (?6–?33).
    private func bindRow(_ row: DailyUsage, to statement: RawStatement) {
        let k = row.key
        statement.bind(1, k.day.description)
        statement.bind(2, k.team)
        statement.bind(3, k.jobPath)
        statement.bind(4, k.namespace)
        statement.bind(5, k.vendor)
        // Bound one by one: arrays of the values cost an allocation each per row.
        statement.bind(6, row.executions)
        statement.bind(7, row.succeeded)
        statement.bind(8, row.failed)
        statement.bind(9, row.cancelled)
        statement.bind(10, row.activeSubmitted)
        statement.bind(11, row.activeRunning)
        statement.bind(12, row.costUSD)
        statement.bind(13, row.coreSeconds)
        statement.bind(14, row.memoryGiBSeconds)
        statement.bind(15, row.shuffleReadBytes)
        statement.bind(16, row.shuffleWriteBytes)
        statement.bind(17, row.shuffleFetchFailures)
        statement.bind(18, row.spillBytes)
        statement.bind(19, row.tasks)
        statement.bind(20, row.failedTasks)
        statement.bind(21, row.executorsAdded)
        statement.bind(22, row.executorsRemoved)
        statement.bind(23, row.durationMsSum)
        statement.bind(24, row.durationCount)
        statement.bind(25, row.queueMsSum)
        statement.bind(26, row.queueCount)
        // The histograms' text is bound from its bytes (SQLite copies them), without a String.
        func bind(_ index: Int32, _ histogram: LatencyHistogram) {
            Self.encode(histogram).withUnsafeBufferPointer { statement.bindCopied(index, $0) }
        }
        bind(27, row.succeededDurations)
        bind(28, row.failedDurations)
        bind(29, row.cancelledDurations)
        bind(30, row.queueTimes)
        statement.bind(31, row.succeededDurations.sumMilliseconds)
        statement.bind(32, row.failedDurations.sumMilliseconds)
        statement.bind(33, row.cancelledDurations.sumMilliseconds)
    }

    /// A histogram's column: a JSON array of its bucket counts, as UTF-8 bytes.
    static func encode(_ histogram: LatencyHistogram) -> [UInt8] {
        var text: [UInt8] = []
        text.reserveCapacity(2 + 4 * histogram.counts.count)
        text.append(UInt8(ascii: "["))
        for (index, count) in histogram.counts.enumerated() {
            if index > 0 { text.append(UInt8(ascii: ",")) }
            JSONWriter.writeInteger(count, into: &text)
        }
        text.append(UInt8(ascii: "]"))
        return text
    }

    static func decodeHistogram(_ text: String, bounds: [Double], sumMilliseconds: Int64) -> LatencyHistogram {
        let counts = text.dropFirst().dropLast().split(separator: ",").compactMap { Int64($0) }
        return LatencyHistogram(boundsSeconds: bounds, counts: counts.count == bounds.count + 1 ? counts : nil,
                                sumMilliseconds: sumMilliseconds)
    }
}
