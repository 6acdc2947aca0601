import GRDB
import SparkLedgerCore

/// A stored execution: its key, the snapshot, and the derived values the store keeps beside it.
public struct StoredExecution: Sendable, Equatable {
    public var key: Int64
    public var snapshot: ExecutionSnapshot
    public var costUSD: Double?

    public init(key: Int64, snapshot: ExecutionSnapshot, costUSD: Double?) {
        self.key = key
        self.snapshot = snapshot
        self.costUSD = costUSD
    }

    /// The snapshot in the contract's JSON shape.
    public var contractJSON: JSONObject { snapshot.contractJSON(costUSD: costUSD) }
}

/// Maps snapshots to rows of `executions` and back. The column order here is the order of the
/// SQL this type writes; an update sets an indexed column only when its value changed, because
/// SQLite rewrites the entry of every index whose column an UPDATE sets, changed or not.
enum ExecutionRow {
    static let columns: [String] = [
        "job_path", "team", "owner", "namespace", "vendor", "vendor_run_id", "idempotency_key",
        "parent_execution_id", "spark_version", "resources", "labels", "spark_ui_url", "logs_url", "state",
        "operator_state", "final_by", "failure_kind", "error_class", "error_message", "exit_code", "base_attempt",
        "restarts", "attempt", "submit_time", "start_time", "end_time", "cancel_requested_time",
        "resources_released_time", "queue_ms", "duration_ms", "event_count", "last_event_time", "incomplete",
        "cost_usd", "core_seconds", "memory_gib_seconds", "shuffle_read_bytes", "shuffle_write_bytes",
        "shuffle_fetch_failures", "spill_bytes", "tasks", "failed_tasks", "executors_added", "executors_removed",
        "fold_timestamp", "fold_rank", "fold_event_id",
    ]

    /// The columns of the table's secondary indexes (`execution_id` never changes), in the order
    /// of `IndexedColumns`' bits.
    static let indexedColumns: [String] = ["job_path", "team", "submit_time", "end_time"]

    /// Which of `indexedColumns` an update sets.
    struct IndexedColumns: OptionSet, Sendable {
        let rawValue: Int
        static let jobPath = IndexedColumns(rawValue: 1 << 0)
        static let team = IndexedColumns(rawValue: 1 << 1)
        static let submitTime = IndexedColumns(rawValue: 1 << 2)
        static let endTime = IndexedColumns(rawValue: 1 << 3)
        static let all = IndexedColumns(rawValue: (1 << ExecutionRow.indexedColumns.count) - 1)
    }

    static let insertSQL: String = {
        let names = ["execution_key", "execution_id"] + columns
        let parameters = (1...names.count).map { "?\($0)" }.joined(separator: ", ")
        return "INSERT INTO executions (\(names.joined(separator: ", "))) VALUES (\(parameters))"
    }()

    /// `updateSQL(setting:)` for every set of indexed columns, by `IndexedColumns.rawValue`.
    static let updateSQLs: [String] = (0...IndexedColumns.all.rawValue).map { updateSQL(setting: IndexedColumns(rawValue: $0)) }

    /// Every projection column but the indexed ones not in `changed`; parameter 1 is the key.
    static func updateSQL(setting changed: IndexedColumns) -> String {
        let unchanged = indexedColumns.indices.filter { !changed.contains(IndexedColumns(rawValue: 1 << $0)) }.map { indexedColumns[$0] }
        return updateSQL(columns.filter { !unchanged.contains($0) })
    }

    private static func updateSQL(_ names: [String]) -> String {
        let assignments = names.map { name in "\(name) = ?\(parameterIndex(of: name, offset: 1))" }
        return "UPDATE executions SET \(assignments.joined(separator: ", ")) WHERE execution_key = ?1"
    }

    /// Parameter number of a column when the statement's first `offset` parameters are taken.
    private static func parameterIndex(of column: String, offset: Int) -> Int32 {
        Int32((columns.firstIndex(of: column) ?? 0) + offset + 1)
    }

    /// `SELECT … FROM` that `decode` reads: key, id, `columns`, then the metrics payload. Append a
    /// `WHERE` clause on the executions' column names.
    static let selectFrom: String = "SELECT " + (["x.execution_key", "x.execution_id"] + columns.map { "x." + $0 } + ["m.payload"])
        .joined(separator: ", ") + " FROM executions x LEFT JOIN execution_metrics m ON m.execution_key = x.execution_key"

    /// Binds the projection columns, numbered from `offset + 1` in `columns` order, the texts from
    /// `texts` (reset here: run the statement before binding the next row). Statements that leave
    /// a column out simply have no parameter with its number.
    static func bind(_ execution: StoredExecution, contribution: UsageContribution?, to statement: RawStatement, offset: Int32,
                     texts: RowTextBuffer) {
        let s = execution.snapshot
        var index = offset
        func next() -> Int32 { index += 1; return index }
        texts.reset()
        func text(_ value: String?) { texts.bind(next(), value, to: statement) }
        text(s.jobPath)
        text(s.team)
        text(s.owner)
        text(s.namespace)
        text(s.vendor?.rawValue)
        text(s.vendorRunID)
        text(s.idempotencyKey)
        text(s.parentExecutionID)
        text(s.sparkVersion)
        text(s.resourcesJSON)
        text(s.labelsJSON)
        text(s.sparkUIURL)
        text(s.logsURL)
        text(s.state.rawValue)
        text(s.operatorState)
        text(s.finalBy.rawValue)
        text(s.failureKind?.rawValue)
        text(s.errorClass?.rawValue)
        text(s.errorMessage)
        statement.bind(next(), s.exitCode)
        statement.bind(next(), s.baseAttempt)
        statement.bind(next(), s.restarts)
        statement.bind(next(), s.attempt)
        statement.bind(next(), s.submitTime)
        statement.bind(next(), s.startTime)
        statement.bind(next(), s.endTime)
        statement.bind(next(), s.cancelRequestedTime)
        statement.bind(next(), s.resourcesReleasedTime)
        statement.bind(next(), s.queueMs)
        statement.bind(next(), s.durationMs)
        statement.bind(next(), s.eventCount)
        statement.bind(next(), s.lastEventTime ?? 0)
        statement.bind(next(), Int64(s.incomplete ? 1 : 0))
        statement.bind(next(), execution.costUSD)
        let usage = contribution
        statement.bind(next(), usage?.coreSeconds ?? 0)
        statement.bind(next(), usage?.memoryGiBSeconds ?? 0)
        statement.bind(next(), usage?.shuffleReadBytes ?? 0)
        statement.bind(next(), usage?.shuffleWriteBytes ?? 0)
        statement.bind(next(), usage?.shuffleFetchFailures ?? 0)
        statement.bind(next(), usage?.spillBytes ?? 0)
        statement.bind(next(), usage?.tasks ?? 0)
        statement.bind(next(), usage?.failedTasks ?? 0)
        statement.bind(next(), usage?.executorsAdded ?? 0)
        statement.bind(next(), usage?.executorsRemoved ?? 0)
        statement.bind(next(), s.foldCursor?.timestamp ?? 0)
        statement.bind(next(), Int64(s.foldCursor?.rank ?? 0))
        text(s.foldCursor?.eventID ?? "")
    }

    /// Reads a row selected with `selectFrom`, starting at `column`.
    static func decode(_ row: RawStatement, from column: Int32 = 0) -> StoredExecution {
        var index = column
        func next() -> Int32 { defer { index += 1 }; return index }
        let key = row.int64(next())
        var s = ExecutionSnapshot(executionID: row.string(next()))
        s.jobPath = row.optionalString(next())
        s.team = row.optionalString(next())
        s.owner = row.optionalString(next())
        s.namespace = row.optionalString(next())
        s.vendor = row.optionalString(next()).flatMap(Vendor.init(rawValue:))
        s.vendorRunID = row.optionalString(next())
        s.idempotencyKey = row.optionalString(next())
        s.parentExecutionID = row.optionalString(next())
        s.sparkVersion = row.optionalString(next())
        s.resourcesJSON = row.optionalString(next())
        s.resources = s.resourcesJSON.flatMap(RequestedResources.init(canonicalJSON:))
        s.labelsJSON = row.optionalString(next())
        s.sparkUIURL = row.optionalString(next())
        s.logsURL = row.optionalString(next())
        s.state = ExecutionState(rawValue: row.string(next())) ?? .submitted
        s.operatorState = row.optionalString(next())
        s.finalBy = FinalBy(rawValue: row.string(next())) ?? .none
        s.failureKind = row.optionalString(next()).flatMap(FailureKind.init(rawValue:))
        s.errorClass = row.optionalString(next()).flatMap(ErrorClass.init(rawValue:))
        s.errorMessage = row.optionalString(next())
        s.exitCode = row.optionalInt64(next())
        s.baseAttempt = row.int64(next())
        s.restarts = row.int64(next())
        _ = next()  // attempt = base_attempt + restarts
        s.submitTime = row.optionalInt64(next())
        s.startTime = row.optionalInt64(next())
        s.endTime = row.optionalInt64(next())
        s.cancelRequestedTime = row.optionalInt64(next())
        s.resourcesReleasedTime = row.optionalInt64(next())
        _ = next()  // queue_ms, derived
        _ = next()  // duration_ms, derived
        s.eventCount = row.int64(next())
        s.lastEventTime = row.optionalInt64(next())
        s.hasSubmit = row.int64(next()) == 0
        let cost = row.optionalDouble(next())
        index += 10  // usage columns, derived from metrics
        let foldTimestamp = row.int64(next())
        let foldRank = Int(row.int64(next()))
        let foldEventID = row.string(next())
        s.foldCursor = FoldKey(timestamp: foldTimestamp, rank: foldRank, eventID: foldEventID)
        s.metricsJSON = row.optionalString(next())
        s.metrics = s.metricsJSON.flatMap(MetricsSummary.init(canonicalJSON:))
        return StoredExecution(key: key, snapshot: s, costUSD: cost)
    }
}
