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
        let insert = try RawStatement(db, "INSERT INTO event_groups (execution_key, first_seq, event_count, events) VALUES (?1, ?2, ?3, ?4)")
        var pending = EventGroup.Pending()
        var pendingKey: Int64 = 0
        func write() throws {
            guard !pending.isEmpty else { return }
            let group = pending.take()
            insert.bind(1, pendingKey)
            insert.bind(2, group.firstSeq)
            insert.bind(3, Int64(group.count))
            insert.bind(4, String(decoding: group.events, as: UTF8.self))
            try insert.execute()
        }
        while try select.step() {
            let key = select.int64(0)
            if key != pendingKey || pending.count >= groupLimit {
                try write()
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
        try write()
    }
}
