import GRDB

/// A set of 64-bit hashes, sorted, so that an id that is certainly new costs a look-up in memory
/// instead of a b-tree probe. The writer keeps two: every event-id hash in `event_ids` (nearly
/// every event is new; a hit still goes to `event_ids` and is confirmed against the stored event
/// id) and the hash of every stored execution_id (most executions arrive new; a hit still looks
/// the execution up).
///
/// Hashes are uniform, so a directory of their top bits narrows the search to a few neighbours
/// (about 8 per bucket): a look-up touches two cache lines instead of the ~20 of a binary search
/// over millions of entries.
///
/// 8 bytes a hash (and 1 byte a hash of directory); above `capacity` hashes the writer does
/// without it.
struct KnownHashes {
    static let capacity = 16_000_000

    private(set) var sorted: [Int64] = []
    /// `directory[b]` is the index of the first hash whose top `bucketBits` bits (in unsigned
    /// order) are at least `b`; `directory[b + 1]` ends bucket `b`.
    private var directory: [Int32] = [0, 0]
    private var bucketBits = 0

    init() {}

    private init(sorted: [Int64]) {
        self.sorted = sorted
        rebuildDirectory()
    }

    /// The hashes of the event-id index's blocks (one scan in key order) and of the recent ids
    /// (read already); nil when the store holds too many.
    static func eventIDs(_ db: Database, recent: RecentEventIDs) throws -> KnownHashes? {
        let count = try Int.fetchOne(db, sql: EventIDBlocks.countSQL) ?? 0
        guard count + recent.count <= capacity else { return nil }
        var hashes: [Int64] = []
        hashes.reserveCapacity(count + recent.count + 100_000)
        try EventIDBlocks.forEachHash(db) { hashes.append($0) }
        hashes.sort()  // a single pass when already sorted
        var known = KnownHashes(sorted: hashes)
        known.merge(recent.sorted.map(\.hash))
        return known
    }

    /// The `executionIDHash` of every stored execution_id; nil when the store holds too many.
    static func executionIDs(_ db: Database) throws -> KnownHashes? {
        try load(db, count: "SELECT count(*) FROM executions", select: "SELECT execution_id FROM executions") { executionIDHash($0.string(0)) }
    }

    private static func load(_ db: Database, count: String, select: String, hash: (RawStatement) -> Int64) throws -> KnownHashes? {
        let count = try Int.fetchOne(db, sql: count) ?? 0
        guard count <= capacity else { return nil }
        var hashes: [Int64] = []
        hashes.reserveCapacity(count + 100_000)
        let rows = try RawStatement(db, select)
        defer { rows.reset() }
        while try rows.step() {
            hashes.append(hash(rows))
        }
        hashes.sort()  // a single pass when already sorted
        return KnownHashes(sorted: hashes)
    }

    /// The hash `executionIDs` keeps: the same FNV-1a as event ids'. In memory only, so
    /// nothing on disk depends on it.
    static func executionIDHash(_ executionID: String) -> Int64 { EventIDHash.hash(executionID) }

    /// The bucket of a hash: its top bits, with the sign flipped so that buckets ascend in the
    /// array's (signed) order.
    private func bucket(_ hash: Int64) -> Int {
        bucketBits == 0 ? 0 : Int(truncatingIfNeeded: UInt64(bitPattern: hash ^ Int64.min) >> UInt64(64 - bucketBits))
    }

    func mayContain(_ hash: Int64) -> Bool {
        let bucket = bucket(hash)
        var low = Int(directory[bucket])
        var high = Int(directory[bucket + 1])
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < hash { low = middle + 1 } else { high = middle }
        }
        return low < sorted.count && sorted[low] == hash
    }

    /// Recomputes the directory for the current hashes: about 8 hashes a bucket.
    private mutating func rebuildDirectory() {
        var bits = 0
        while bits < 24 && (1 << bits) * 8 < sorted.count { bits += 1 }
        bucketBits = bits
        var directory = [Int32](repeating: 0, count: (1 << bits) + 1)
        var index = 0
        for b in 0..<(1 << bits) {
            directory[b] = Int32(index)
            while index < sorted.count && bucket(sorted[index]) == b { index += 1 }
        }
        directory[1 << bits] = Int32(sorted.count)
        self.directory = directory
    }

    /// Adds a transaction's new hashes (sorted) by merging.
    mutating func merge(_ added: [Int64]) {
        guard !added.isEmpty else { return }
        SortedMerge.merge(added, into: &sorted, by: \.self)
        rebuildDirectory()
    }

    var count: Int { sorted.count }
}
