import GRDB
import SparkLedgerCore

/// Which executions to list. Time bounds apply to `submit_time`: `since` inclusive, `until` exclusive.
public struct ExecutionFilter: Sendable, Equatable {
    public var team: String?
    public var jobPath: String?
    public var state: ExecutionState?
    public var vendor: Vendor?
    public var submittedSince: Int64?
    public var submittedUntil: Int64?
    public var limit: Int?
    /// Newest submit first (the default), or oldest first.
    public var newestFirst: Bool

    public init(team: String? = nil, jobPath: String? = nil, state: ExecutionState? = nil, vendor: Vendor? = nil,
                submittedSince: Int64? = nil, submittedUntil: Int64? = nil, limit: Int? = nil, newestFirst: Bool = true) {
        self.team = team
        self.jobPath = jobPath
        self.state = state
        self.vendor = vendor
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
        var conditions = SQLConditions()
        conditions.add(filter)
        let direction = filter.newestFirst ? "DESC" : "ASC"
        let limitClause = filter.limit.map { "LIMIT \(max(0, $0))" } ?? ""
        let sql = "\(ExecutionRow.selectFrom) \(conditions.whereClause) ORDER BY x.submit_time \(direction), x.execution_key \(direction) \(limitClause)"
        try read { db in
            let select = try RawStatement(db, sql)
            defer { select.reset() }
            conditions.bind(to: select)
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

/// `WHERE` conditions with numbered parameters, bound in the order they were added.
struct SQLConditions {
    private(set) var conditions: [String] = []
    private var binders: [(RawStatement) -> Void] = []
    private var parameters: Int32 = 0

    /// Adds `condition`; its `?` placeholders are numbered in order from the index `bind` gets.
    mutating func add(_ condition: String, _ bind: @escaping (RawStatement, _ firstIndex: Int32) -> Void = { _, _ in }) {
        let first = parameters + 1
        var text = ""
        for character in condition {
            if character == "?" {
                parameters += 1
                text += "?\(parameters)"
            } else {
                text.append(character)
            }
        }
        conditions.append(text)
        binders.append { bind($0, first) }
    }

    /// The filter's conditions on `executions x`.
    mutating func add(_ filter: ExecutionFilter) {
        if let team = filter.team { add("x.team = ?") { $0.bind($1, team) } }
        if let jobPath = filter.jobPath { add("x.job_path = ?") { $0.bind($1, jobPath) } }
        if let state = filter.state { add("x.state = ?") { $0.bind($1, state.rawValue) } }
        if let vendor = filter.vendor { add("x.vendor = ?") { $0.bind($1, vendor.rawValue) } }
        if let since = filter.submittedSince { add("x.submit_time >= ?") { $0.bind($1, since) } }
        if let until = filter.submittedUntil { add("x.submit_time < ?") { $0.bind($1, until) } }
    }

    var whereClause: String { conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ") }

    func bind(to statement: RawStatement) {
        for bind in binders { bind(statement) }
    }
}
