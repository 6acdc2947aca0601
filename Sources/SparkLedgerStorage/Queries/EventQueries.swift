import GRDB
import SparkLedgerCore

extension SQLiteEventStore {
    /// An execution's accepted events in fold order; empty when the execution is unknown.
    public func events(ofExecution id: String) throws(StoreError) -> [ExecutionEvent] {
        try read { db in
            guard let key = try Int64.fetchOne(db, sql: "SELECT execution_key FROM executions WHERE execution_id = ?", arguments: [id]) else {
                return []
            }
            return try StoredEventReader(db: db).events(ofExecutionKey: key, executionID: id)
        }
    }

    /// Streams the whole log to `body` from one consistent snapshot, execution by execution in the
    /// order they were first seen, each execution's events in append order.
    public func forEachEvent(_ body: (_ seq: Int64, _ event: ExecutionEvent) throws -> Void) throws(StoreError) {
        try read { db in
            let select = try RawStatement(db, """
                SELECT x.execution_id, g.execution_key, g.first_seq, g.events
                FROM event_groups g JOIN executions x ON x.execution_key = g.execution_key ORDER BY g.execution_key, g.first_seq
                """)
            defer { select.reset() }
            while try select.step() {
                let executionID = select.string(0)
                for logged in try StoredEventReader.decode(select, column: 3, key: select.int64(1), firstSeq: select.int64(2)) {
                    try body(logged.seq, try logged.event(executionID: executionID))
                }
            }
        }
    }

    /// Counts of what the store holds.
    public func statistics() throws(StoreError) -> StoreStatistics {
        try read { db in
            StoreStatistics(
                events: try Int64.fetchOne(db, sql: "SELECT coalesce(sum(event_count), 0) FROM event_groups") ?? 0,
                executions: try Int64.fetchOne(db, sql: "SELECT count(*) FROM executions") ?? 0,
                quarantined: try Int64.fetchOne(db, sql: "SELECT count(*) FROM quarantine") ?? 0,
                usageRows: try Int64.fetchOne(db, sql: "SELECT count(*) FROM daily_usage") ?? 0)
        }
    }

    /// Where an input stands, or nil when it was never ingested.
    public func checkpoint(source: String) throws(StoreError) -> IngestCheckpoint? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT source, position, detail FROM ingest_checkpoints WHERE source = ?", arguments: [source])
                .map { IngestCheckpoint(source: $0["source"], position: $0["position"], detail: $0["detail"]) }
        }
    }
}

public struct StoreStatistics: Sendable, Equatable {
    public var events: Int64
    public var executions: Int64
    public var quarantined: Int64
    public var usageRows: Int64
}

extension SQLiteEventStore {
    /// The log's next sequence number: it moves with every transaction that accepts an event,
    /// and only then do the projections change (a replay rewrites them bit-identical). Caches of
    /// values derived from the projections key on it.
    public func logPosition() throws(StoreError) -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT next_seq FROM log_position") ?? 1 }
    }
}
