import GRDB

/// Store version 7: the event-id index's rows of versions 1–6 (`event_ids`, a row per event)
/// rewritten as `event_id_blocks` rows, read in hash order and written a block at a time.
enum EventIDBlockMigration {
    static func moveEntries(_ db: Database) throws {
        let select = try RawStatement(db, "SELECT event_hash, execution_key, seq FROM event_ids ORDER BY event_hash")
        defer { select.reset() }
        let insert = try RawStatement(db, "INSERT INTO event_id_blocks (first_hash, entries) VALUES (?1, ?2)")
        var block: [NewEventIndex.Entry] = []
        block.reserveCapacity(EventIDBlocks.blockCapacity)
        func write() throws {
            guard let first = block.first else { return }
            insert.bind(1, first.hash)
            insert.bind(2, blob: PackedEventIDs.pack(block))
            try insert.execute()
            block.removeAll(keepingCapacity: true)
        }
        while try select.step() {
            block.append(NewEventIndex.Entry(hash: select.int64(0), key: select.int64(1), seq: select.int64(2)))
            if block.count == EventIDBlocks.blockCapacity { try write() }
        }
        try write()
    }
}
