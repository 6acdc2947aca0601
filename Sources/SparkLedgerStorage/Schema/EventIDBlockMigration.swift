import GRDB

/// Store version 7: the event-id index's rows of versions 1–6 (`event_ids`, a row per event)
/// rewritten as `event_id_blocks` rows, read in hash order and written a full block at a time.
enum EventIDBlockMigration {
    static func moveEntries(_ db: Database) throws {
        let select = try RawStatement(db, "SELECT event_hash, execution_key, seq FROM event_ids ORDER BY event_hash")
        defer { select.reset() }
        let blocks = try EventIDBlocks(db)
        var block: [NewEventIndex.Entry] = []
        block.reserveCapacity(EventIDBlocks.blockCapacity)
        while try select.step() {
            block.append(NewEventIndex.Entry(hash: select.int64(0), key: select.int64(1), seq: select.int64(2)))
            if block.count == EventIDBlocks.blockCapacity {
                try blocks.insertBlock(block)
                block.removeAll(keepingCapacity: true)
            }
        }
        try blocks.insertBlock(block)
    }
}
