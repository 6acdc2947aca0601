import GRDB
import SparkLedgerCore

/// Store version 6: the log's rows of versions 1–5 (a row per event in `events`) rewritten as
/// `event_groups` rows, an execution's events in seq order, up to `groupLimit` a row. Groups of one
/// execution cover consecutive runs of its seqs, so they do not interleave, as the reader assumes.
enum EventGroupMigration {
    static let groupLimit = 1000

    static func moveEvents(_ db: Database) throws {
        let select = try RawStatement(db, """
            SELECT execution_key, seq, event_id, event_type, timestamp, source, schema_version, payload, extensions
            FROM events ORDER BY execution_key, seq
            """)
        defer { select.reset() }
        let insert = try RawStatement(db, EventGroup.insertSQL)
        var pending = EventGroup.Pending()
        var pendingKey: Int64 = 0
        while try select.step() {
            let key = select.int64(0)
            if key != pendingKey || pending.count >= groupLimit {
                if !pending.isEmpty { try pending.write(key: pendingKey, using: insert) }
                pendingKey = key
            }
            let seq = select.int64(1)
            guard let type = EventType(rawValue: select.string(3)), let source = EventSource(rawValue: select.string(5)) else {
                throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "events row (execution_key \(key), seq \(seq)) has event_type \(select.string(3)) / source \(select.string(5))")
            }
            pending.append(EventGroup.Logged(
                seq: seq, eventID: select.string(2), type: type, timestamp: select.int64(4), source: source,
                schemaVersion: Int(select.int64(6)), canonicalPayload: select.string(7), canonicalExtensions: select.optionalString(8)))
        }
        if !pending.isEmpty { try pending.write(key: pendingKey, using: insert) }
    }
}
