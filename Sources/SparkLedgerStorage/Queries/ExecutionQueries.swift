import GRDB
import SparkLedgerCore

/// Which executions to list. Time bounds apply to `submit_time`: `since` inclusive, `until` exclusive.
public struct ExecutionFilter: Sendable, Equatable {
    public var team: String?
    public var jobPath: String?
    public var state: ExecutionState?
    public var submittedSince: Int64?
    public var submittedUntil: Int64?
    public var limit: Int?
    /// Newest submit first (the default), or oldest first.
    public var newestFirst: Bool

    public init(team: String? = nil, jobPath: String? = nil, state: ExecutionState? = nil, submittedSince: Int64? = nil,
                submittedUntil: Int64? = nil, limit: Int? = nil, newestFirst: Bool = true) {
        self.team = team
        self.jobPath = jobPath
        self.state = state
        self.submittedSince = submittedSince
        self.submittedUntil = submittedUntil
        self.limit = limit
        self.newestFirst = newestFirst
    }
}

extension SQLiteEventStore {
    /// One execution by id, or nil.
    public func execution(id: String) throws(StoreError) -> StoredExecution? {
        try read { db in
            let select = try RawStatement(db, ExecutionRow.selectFrom + " WHERE x.execution_id = ?1")
            select.bind(1, id)
            defer { select.reset() }
            return try select.step() ? ExecutionRow.decode(select) : nil
        }
    }

    /// Streams the matching executions to `body`, in submit order, without holding them all.
    public func forEachExecution(_ filter: ExecutionFilter, _ body: (StoredExecution) throws -> Void) throws(StoreError) {
        var conditions: [String] = []
        var arguments: [(RawStatement, Int32) -> Void] = []
        func add(_ condition: String, _ bind: @escaping (RawStatement, Int32) -> Void) {
            conditions.append(condition.replacingOccurrences(of: "?", with: "?\(conditions.count + 1)"))
            arguments.append(bind)
        }
        if let team = filter.team { add("team = ?") { $0.bind($1, team) } }
        if let jobPath = filter.jobPath { add("job_path = ?") { $0.bind($1, jobPath) } }
        if let state = filter.state { add("state = ?") { $0.bind($1, state.rawValue) } }
        if let since = filter.submittedSince { add("submit_time >= ?") { $0.bind($1, since) } }
        if let until = filter.submittedUntil { add("submit_time < ?") { $0.bind($1, until) } }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let direction = filter.newestFirst ? "DESC" : "ASC"
        let limitClause = filter.limit.map { "LIMIT \(max(0, $0))" } ?? ""
        let sql = "\(ExecutionRow.selectFrom) \(whereClause) ORDER BY x.submit_time \(direction), x.execution_key \(direction) \(limitClause)"
        try read { db in
            let select = try RawStatement(db, sql)
            defer { select.reset() }
            for (index, bind) in arguments.enumerated() { bind(select, Int32(index + 1)) }
            while try select.step() {
                try body(ExecutionRow.decode(select))
            }
        }
    }

    public func executions(_ filter: ExecutionFilter) throws(StoreError) -> [StoredExecution] {
        var result: [StoredExecution] = []
        try forEachExecution(filter) { result.append($0) }
        return result
    }
}
