import GRDB

/// The event-id index on disk (`event_id_blocks`): every stored event's id hash, with where the
/// event is, in blocks of up to `blockCapacity` entries sorted by hash. A block holds the hashes
/// from its `first_hash` up to the next block's; the first block also any smaller hash.
///
/// A row an entry cost a statement and a b-tree insert each (the move of 500,000 ids into it was
/// 14 % of an ingest's writer instructions); a block is one row of packed entries, so moving the recent ids in
/// reads and rewrites only the blocks that take new entries, a statement per ~500 entries. A
/// look-up is one b-tree probe and a binary search of one block (look-ups are rare: only an id
/// whose hash `KnownHashes` holds, a duplicate, asks).
struct EventIDBlocks {
    typealias Entry = NewEventIndex.Entry

    /// Entries a block holds at most: 16,320 bytes, so that a full block fills a 16 KiB page
    /// (`SQLiteEventStore.pageSize`) without overflow: a leaf cell holds up to 16,349 bytes.
    static let blockCapacity = 680

    private let atOrBefore: RawStatement
    private let after: RawStatement
    private let nextStart: RawStatement
    private let delete: RawStatement
    private let insert: RawStatement
    private let beginMove: RawStatement
    private let endMove: RawStatement

    init(_ db: Database) throws {
        atOrBefore = try RawStatement(db, "SELECT first_hash, entries FROM event_id_blocks WHERE first_hash <= ?1 ORDER BY first_hash DESC LIMIT 1")
        after = try RawStatement(db, "SELECT first_hash, entries FROM event_id_blocks WHERE first_hash > ?1 ORDER BY first_hash LIMIT 1")
        nextStart = try RawStatement(db, "SELECT first_hash FROM event_id_blocks WHERE first_hash > ?1 ORDER BY first_hash LIMIT 1")
        delete = try RawStatement(db, "DELETE FROM event_id_blocks WHERE first_hash = ?1")
        insert = try RawStatement(db, "INSERT INTO event_id_blocks (first_hash, entries) VALUES (?1, ?2)")
        // The schema refuses deletes outside a move (StoreSchema.version7).
        beginMove = try RawStatement(db, "INSERT INTO event_id_block_moves (id) VALUES (1)")
        endMove = try RawStatement(db, "DELETE FROM event_id_block_moves")
    }

    /// Where the event whose id hashes to `hash` is, or nil.
    func lookup(_ hash: Int64) throws -> (key: Int64, seq: Int64)? {
        guard let block = try block(atOrBefore: hash) else { return nil }
        return PackedEventIDs.find(hash, in: block.entries)
    }

    /// Adds entries: the union of `first` and `second`, each sorted by hash, no hash in both or
    /// already stored. Rewrites each block that takes some of them, split into blocks of at most
    /// `blockCapacity` entries. An empty index is written as the entries stream; a block's new
    /// entries are gathered first (at most all of them, when the index holds a block or two).
    func add(_ first: [Entry], _ second: [Entry]) throws {
        var added = MergedEntries(first, second)
        try beginMove.execute()
        try merge(&added)
        try endMove.execute()
    }

    private func merge(_ added: inout MergedEntries) throws {
        while let lowest = added.peek() {
            // The block this entry belongs in (the first block takes anything below it too), and
            // where the next block starts: what this block takes ends there.
            guard let block = try block(atOrBefore: lowest.hash) ?? block(after: .min) else {
                try write(count: added.remaining, from: &added)  // an empty index
                return
            }
            let end = try start(after: block.firstHash)
            var taken: [Entry] = []
            while let entry = added.peek(), end.map({ entry.hash < $0 }) ?? true {
                taken.append(entry)
                _ = added.next()
            }
            var merged = MergedEntries(PackedEventIDs.unpack(block.entries), taken)
            delete.bind(1, block.firstHash)
            try delete.execute()
            try write(count: merged.remaining, from: &merged)
        }
    }

    /// Calls `body` with every stored hash in order.
    static func forEachHash(_ db: Database, _ body: (Int64) -> Void) throws {
        let rows = try RawStatement(db, "SELECT entries FROM event_id_blocks ORDER BY first_hash")
        defer { rows.reset() }
        while try rows.step() {
            try rows.withBytes(0) { bytes in
                try PackedEventIDs.check(bytes.count, what: "an event_id_blocks row")
                PackedEventIDs.forEachHash(in: bytes, body)
            }
        }
    }

    /// The number of stored entries, as SQL.
    static let countSQL = "SELECT coalesce(sum(length(entries)), 0) / \(PackedEventIDs.entryBytes) FROM event_id_blocks"

    // MARK: blocks

    private struct Block {
        var firstHash: Int64
        var entries: [UInt8]
    }

    private func block(atOrBefore hash: Int64) throws -> Block? {
        atOrBefore.bind(1, hash)
        return try read(atOrBefore)
    }

    private func block(after hash: Int64) throws -> Block? {
        after.bind(1, hash)
        return try read(after)
    }

    /// Where the block after the one starting at `hash` starts (its key only, not its entries).
    private func start(after hash: Int64) throws -> Int64? {
        nextStart.bind(1, hash)
        defer { nextStart.reset() }
        return try nextStart.step() ? nextStart.int64(0) : nil
    }

    private func read(_ statement: RawStatement) throws -> Block? {
        defer { statement.reset() }
        guard try statement.step() else { return nil }
        let block = Block(firstHash: statement.int64(0), entries: statement.blob(1))
        try PackedEventIDs.check(block.entries.count, what: "event_id_blocks row \(block.firstHash)")
        return block
    }

    /// Writes the next `count` entries as blocks of nearly equal size, each keyed by its first hash.
    private func write(count: Int, from entries: inout MergedEntries) throws {
        let blocks = (count + Self.blockCapacity - 1) / Self.blockCapacity
        var part: [Entry] = []
        part.reserveCapacity(Self.blockCapacity)
        for index in 0..<blocks {
            part.removeAll(keepingCapacity: true)
            for _ in (index * count / blocks)..<((index + 1) * count / blocks) {
                guard let entry = entries.next() else { break }
                part.append(entry)
            }
            try insertBlock(part)
        }
    }

    /// Inserts one block: entries sorted by hash, at most `blockCapacity`, keyed by the first.
    func insertBlock(_ entries: [Entry]) throws {
        guard let first = entries.first else { return }
        insert.bind(1, first.hash)
        try insert.execute(bindingBorrowed: PackedEventIDs.pack(entries), at: 2)
    }
}

/// Two runs of entries sorted by hash, read as one.
struct MergedEntries: IteratorProtocol {
    private let first: [NewEventIndex.Entry]
    private let second: [NewEventIndex.Entry]
    private var i = 0
    private var j = 0

    init(_ first: [NewEventIndex.Entry], _ second: [NewEventIndex.Entry]) {
        self.first = first
        self.second = second
    }

    var remaining: Int { first.count - i + second.count - j }

    /// Whether the next entry comes from `first` (also when both are used up).
    private var nextIsFirst: Bool {
        j == second.count || (i < first.count && first[i].hash <= second[j].hash)
    }

    func peek() -> NewEventIndex.Entry? {
        nextIsFirst ? (i < first.count ? first[i] : nil) : second[j]
    }

    mutating func next() -> NewEventIndex.Entry? {
        guard let entry = peek() else { return nil }
        if nextIsFirst { i += 1 } else { j += 1 }
        return entry
    }
}
