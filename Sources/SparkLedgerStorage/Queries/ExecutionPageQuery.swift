import GRDB
import SparkLedgerCore

/// The time executions are listed by.
public enum ExecutionOrder: String, Sendable, CaseIterable {
    case submitTime = "submit_time"
    case endTime = "end_time"

    var column: String { "x.\(rawValue)" }
}

/// Where a page of executions ended: the last row's sort value (nil when it had none) and key.
public struct ExecutionPosition: Sendable, Equatable {
    public var value: Int64?
    public var key: Int64

    public init(value: Int64?, key: Int64) {
        self.value = value
        self.key = key
    }
}

/// One page of a listing. Rows with a sort value come first, in the requested direction; rows
/// without one (no SUBMIT yet, or not finished when ordering by end time) follow, by key.
public struct ExecutionPageRequest: Sendable, Equatable {
    public var filter: ExecutionFilter
    public var order: ExecutionOrder
    public var descending: Bool
    public var limit: Int
    /// Continue after this position (from the previous page).
    public var after: ExecutionPosition?
    /// Leave out executions first seen after the first page was read, so that concurrent
    /// ingestion neither shifts nor repeats rows across pages.
    public var highestKey: Int64?

    public init(filter: ExecutionFilter = ExecutionFilter(), order: ExecutionOrder = .submitTime, descending: Bool = true,
                limit: Int, after: ExecutionPosition? = nil, highestKey: Int64? = nil) {
        self.filter = filter
        self.order = order
        self.descending = descending
        self.limit = limit
        self.after = after
        self.highestKey = highestKey
    }
}

public struct ExecutionPage: Sendable, Equatable {
    public var executions: [StoredExecution]
    /// Where the next page starts; nil on the last page.
    public var next: ExecutionPosition?
    /// The high-water key every page of this listing uses.
    public var highestKey: Int64
}

extension SQLiteEventStore {
    /// One page of executions, read from one consistent snapshot of the store. Both phases (rows
    /// with a sort value, then rows without) walk an index; nothing sorts the table.
    public func executionPage(_ request: ExecutionPageRequest) throws(StoreError) -> ExecutionPage {
        let wanted = max(0, request.limit) + 1
        return try read { db in
            let highestKey = try request.highestKey ?? Int64.fetchOne(db, sql: "SELECT max(execution_key) FROM executions") ?? 0
            let column = request.order.column
            let direction = request.descending ? "DESC" : "ASC"
            let beyond = request.descending ? "<" : ">"
            var rows: [StoredExecution] = []

            func run(_ conditions: SQLConditions, orderBy: String, limit: Int) throws {
                let select = try RawStatement(db, "\(ExecutionRow.selectFrom) \(conditions.whereClause) ORDER BY \(orderBy) LIMIT \(limit)")
                defer { select.reset() }
                conditions.bind(to: select)
                while try select.step() { rows.append(ExecutionRow.decode(select)) }
            }
            var common = SQLConditions()
            common.add(request.filter)
            common.add("x.execution_key <= ?") { $0.bind($1, highestKey) }

            // Phase 1: rows with a sort value, unless the previous page already ended among those without.
            if request.after == nil || request.after?.value != nil {
                var valued = common
                valued.add("\(column) IS NOT NULL")
                if let after = request.after, let value = after.value {
                    valued.add("(\(column) \(beyond) ? OR (\(column) = ? AND x.execution_key \(beyond) ?))") { statement, first in
                        statement.bind(first, value)
                        statement.bind(first + 1, value)
                        statement.bind(first + 2, after.key)
                    }
                }
                try run(valued, orderBy: "\(column) \(direction), x.execution_key \(direction)", limit: wanted)
            }
            // Phase 2: rows without a sort value, by key.
            if rows.count < wanted {
                var unvalued = common
                unvalued.add("\(column) IS NULL")
                if let after = request.after, after.value == nil {
                    unvalued.add("x.execution_key \(beyond) ?") { $0.bind($1, after.key) }
                }
                try run(unvalued, orderBy: "x.execution_key \(direction)", limit: wanted - rows.count)
            }

            var next: ExecutionPosition?
            if rows.count == wanted {
                rows.removeLast()
                if let last = rows.last {
                    let value = request.order == .submitTime ? last.snapshot.submitTime : last.snapshot.endTime
                    next = ExecutionPosition(value: value, key: last.key)
                }
            }
            return ExecutionPage(executions: rows, next: next, highestKey: highestKey)
        }
    }
}
