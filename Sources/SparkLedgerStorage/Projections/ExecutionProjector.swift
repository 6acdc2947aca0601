import GRDB
import SparkLedgerCore

/// Writes folded snapshots to `executions`, setting each indexed column (job_path, team,
/// submit_time, end_time) only when it changed: an execution that ends rewrites one index entry,
/// not four.
struct ExecutionProjector {
    let prices: PriceConfiguration
    private let insertStatement: RawStatement
    private let updates: UpdateStatements
    private let selectByID: RawStatement
    private let upsertMetrics: RawStatement
    private let insertMetrics: RawStatement
    private let deleteMetrics: RawStatement
    private let texts = RowTextBuffer()

    init(db: Database, prices: PriceConfiguration) throws {
        self.prices = prices
        insertStatement = try RawStatement(db, ExecutionRow.insertSQL)
        updates = UpdateStatements(db)
        selectByID = try RawStatement(db, ExecutionRow.selectFrom + " WHERE x.execution_id = ?1")
        upsertMetrics = try RawStatement(db, """
            INSERT INTO execution_metrics (execution_key, payload) VALUES (?1, ?2)
            ON CONFLICT (execution_key) DO UPDATE SET payload = excluded.payload
            """)
        insertMetrics = try RawStatement(db, "INSERT INTO execution_metrics (execution_key, payload) VALUES (?1, ?2)")
        deleteMetrics = try RawStatement(db, "DELETE FROM execution_metrics WHERE execution_key = ?1")
    }

    /// The stored execution with this id, or nil.
    func find(_ executionID: String) throws -> StoredExecution? {
        selectByID.bind(1, executionID)
        defer { selectByID.reset() }
        return try selectByID.step() ? ExecutionRow.decode(selectByID) : nil
    }

    func stored(_ snapshot: consuming ExecutionSnapshot, key: Int64) -> StoredExecution {
        let cost = snapshot.costUSD(prices: prices)
        return StoredExecution(key: key, snapshot: snapshot, costUSD: cost)
    }

    /// Writes the snapshot's metrics payload when it differs from what `previous` had stored.
    /// `isNew`: the execution has no row yet, so a plain INSERT does (no conflict probe).
    private func writeMetrics(_ snapshot: ExecutionSnapshot, key: Int64, previous: String?, isNew: Bool = false) throws {
        guard snapshot.metricsJSON != previous else { return }
        if let payload = snapshot.metricsJSON {
            let statement = isNew ? insertMetrics : upsertMetrics
            statement.bind(1, key)
            statement.bind(2, payload)
            try statement.execute()
        } else {
            deleteMetrics.bind(1, key)
            try deleteMetrics.execute()
        }
    }

    /// A row for an execution seen for the first time. The snapshot moves into the result.
    func insert(_ snapshot: consuming ExecutionSnapshot, key: Int64) throws -> WrittenExecution {
        let contribution = UsageContribution(snapshot: snapshot, prices: prices)
        try writeMetrics(snapshot, key: key, previous: nil, isNew: true)
        insertStatement.bind(1, key)
        insertStatement.bind(2, snapshot.executionID)
        let execution = stored(snapshot, key: key)
        ExecutionRow.bind(execution, contribution: contribution, to: insertStatement, offset: 2, texts: texts)
        try insertStatement.execute()
        return WrittenExecution(execution: execution, contribution: contribution)
    }

    /// What is stored of an execution that decides how its rewrite is written: the indexed
    /// columns (their indexes are rewritten only when one differs) and the metrics payload
    /// (rewritten only when it differs).
    struct StoredColumns: Sendable {
        var jobPath: String?
        var team: String?
        var submitTime: Int64?
        var endTime: Int64?
        var metricsJSON: String?

        init(jobPath: String?, team: String?, submitTime: Int64?, endTime: Int64?, metricsJSON: String?) {
            self.jobPath = jobPath
            self.team = team
            self.submitTime = submitTime
            self.endTime = endTime
            self.metricsJSON = metricsJSON
        }

        init(_ snapshot: borrowing ExecutionSnapshot) {
            self.init(jobPath: snapshot.jobPath, team: snapshot.team, submitTime: snapshot.submitTime, endTime: snapshot.endTime,
                      metricsJSON: snapshot.metricsJSON)
        }

        /// The indexed columns whose values `snapshot` changes.
        func changedIndexedColumns(in snapshot: borrowing ExecutionSnapshot) -> ExecutionRow.IndexedColumns {
            var changed: ExecutionRow.IndexedColumns = []
            if jobPath != snapshot.jobPath { changed.insert(.jobPath) }
            if team != snapshot.team { changed.insert(.team) }
            if submitTime != snapshot.submitTime { changed.insert(.submitTime) }
            if endTime != snapshot.endTime { changed.insert(.endTime) }
            return changed
        }
    }

    /// Rewrites an existing row, stored as `old` says. The snapshot moves into the result.
    func update(_ snapshot: consuming ExecutionSnapshot, key: Int64, replacing old: StoredColumns) throws -> WrittenExecution {
        let contribution = UsageContribution(snapshot: snapshot, prices: prices)
        try writeMetrics(snapshot, key: key, previous: old.metricsJSON)
        let update = try updates.statement(setting: old.changedIndexedColumns(in: snapshot))
        update.bind(1, key)
        let execution = stored(snapshot, key: key)
        ExecutionRow.bind(execution, contribution: contribution, to: update, offset: 1, texts: texts)
        try update.execute()
        return WrittenExecution(execution: execution, contribution: contribution)
    }
}

/// An UPDATE of `executions` for each set of changed indexed columns, prepared when first needed
/// (most transactions use two or three of the sixteen).
private final class UpdateStatements {
    private let db: Database
    private var prepared: [RawStatement?] = Array(repeating: nil, count: ExecutionRow.IndexedColumns.all.rawValue + 1)

    init(_ db: Database) {
        self.db = db
    }

    func statement(setting changed: ExecutionRow.IndexedColumns) throws -> RawStatement {
        if let statement = prepared[changed.rawValue] { return statement }
        let statement = try RawStatement(db, ExecutionRow.updateSQLs[changed.rawValue])
        prepared[changed.rawValue] = statement
        return statement
    }
}

/// A snapshot as `ExecutionProjector` wrote it, and what it adds to its day's usage.
struct WrittenExecution {
    var execution: StoredExecution
    var contribution: UsageContribution?

    /// Moves the execution out, leaving an empty snapshot behind: reading `execution` copies it,
    /// a retain and a release of each of its strings.
    mutating func takeExecution() -> StoredExecution {
        var taken = StoredExecution(key: execution.key, snapshot: ExecutionSnapshot(executionID: ""), costUSD: nil)
        swap(&taken, &execution)
        return taken
    }
}
