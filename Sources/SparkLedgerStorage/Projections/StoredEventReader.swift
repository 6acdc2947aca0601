import GRDB
import SparkLedgerCore

/// Reads events back from the log. Rows do not carry the execution_id (the log is keyed by
/// execution_key), so callers pass it in: an execution created in the current transaction has no
/// `executions` row yet to join with.
struct StoredEventReader {
    /// Columns `decode` reads, in order.
    static let columns = "seq, event_id, event_type, timestamp, source, schema_version, payload, extensions"

    private let atLocation: RawStatement
    private let ofExecution: RawStatement

    init(db: Database) throws {
        atLocation = try RawStatement(db, "SELECT \(Self.columns) FROM events WHERE execution_key = ?1 AND seq = ?2")
        ofExecution = try RawStatement(db, "SELECT \(Self.columns) FROM events WHERE execution_key = ?1")
    }

    func event(key: Int64, seq: Int64, executionID: String) throws -> ExecutionEvent? {
        atLocation.bind(1, key)
        atLocation.bind(2, seq)
        defer { atLocation.reset() }
        guard try atLocation.step() else { return nil }
        return try Self.decode(atLocation, executionID: executionID).event
    }

    /// All events of one execution, in fold order.
    func events(ofExecutionKey key: Int64, executionID: String) throws -> [ExecutionEvent] {
        ofExecution.bind(1, key)
        defer { ofExecution.reset() }
        var events: [ExecutionEvent] = []
        while try ofExecution.step() {
            events.append(try Self.decode(ofExecution, executionID: executionID).event)
        }
        events.sort(by: ExecutionEvent.foldOrder)
        return events
    }

    /// Decodes a row selected with `columns`, starting at `column`.
    static func decode(_ row: RawStatement, executionID: String, from column: Int32 = 0) throws -> (seq: Int64, event: ExecutionEvent) {
        let seq = row.int64(column)
        let typeName = row.string(column + 2)
        let sourceName = row.string(column + 4)
        guard let type = EventType(rawValue: typeName), let source = EventSource(rawValue: sourceName) else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "event seq \(seq) has event_type \(typeName) / source \(sourceName)")
        }
        let event = try ExecutionEvent(
            eventID: row.string(column + 1), executionID: executionID, type: type,
            timestamp: row.int64(column + 3), source: source, schemaVersion: Int(row.int64(column + 5)),
            canonicalPayload: row.string(column + 6), canonicalExtensions: row.optionalString(column + 7))
        return (seq, event)
    }
}
