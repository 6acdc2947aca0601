import GRDB

/// The newest part of the event-id index, held in memory: what `event_ids_recent` holds on disk.
///
/// `event_ids` is keyed by a uniform hash, so a transaction that inserts into it touches nearly
/// every page of it, and each row costs a statement. A transaction instead stores its new event
/// ids as one row of `event_ids_recent`: a packed array, so one statement and one append. Once
/// `StoreConfiguration.recentEventIDsLimit` ids have gathered there, the writer moves them all
/// into `event_ids` in hash order and empties the table, in one transaction: the index is
/// rewritten once per that many events instead of once per transaction. Until then the writer
/// finds them here, in memory.
///
/// Sorted by hash; 24 bytes an entry.
struct RecentEventIDs {
    typealias Entry = NewEventIndex.Entry

    /// The bytes of an entry in a packed row: event_hash, execution_key, seq, each a
    /// little-endian 64-bit integer.
    static let packedEntryBytes = 24

    private(set) var sorted: [Entry] = []

    init() {}

    /// Every entry of `event_ids_recent`.
    init(_ db: Database) throws {
        let rows = try RawStatement(db, "SELECT first_seq, entries FROM event_ids_recent")
        defer { rows.reset() }
        while try rows.step() {
            let packed = rows.blob(1)
            guard packed.count % Self.packedEntryBytes == 0 else {
                throw DatabaseError(resultCode: .SQLITE_CORRUPT,
                                    message: "event_ids_recent row \(rows.int64(0)) holds \(packed.count) bytes, not a multiple of \(Self.packedEntryBytes)")
            }
            sorted.append(contentsOf: Self.unpack(packed))
        }
        sorted.sort { $0.hash < $1.hash }
    }

    var count: Int { sorted.count }

    subscript(hash: Int64) -> (key: Int64, seq: Int64)? {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle].hash < hash { low = middle + 1 } else { high = middle }
        }
        guard low < sorted.count, sorted[low].hash == hash else { return nil }
        return (sorted[low].key, sorted[low].seq)
    }

    /// Adds a transaction's entries (sorted by hash).
    mutating func merge(_ added: [Entry]) {
        SortedMerge.merge(added, into: &sorted, by: \.hash)
    }

    /// This and `added` (sorted by hash) in hash order, without building the merged array.
    func forEachMerged(with added: [Entry], _ body: (Entry) throws -> Void) rethrows {
        var i = 0
        var j = 0
        while i < sorted.count || j < added.count {
            if j == added.count || (i < sorted.count && sorted[i].hash <= added[j].hash) {
                try body(sorted[i])
                i += 1
            } else {
                try body(added[j])
                j += 1
            }
        }
    }

    mutating func removeAll() {
        sorted = []
    }

    /// A row's `entries`.
    static func pack(_ entries: [Entry]) -> [UInt8] {
        var packed: [UInt8] = []
        packed.reserveCapacity(entries.count * packedEntryBytes)
        func append(_ value: Int64) {
            withUnsafeBytes(of: value.littleEndian) { packed.append(contentsOf: $0) }
        }
        for entry in entries {
            append(entry.hash)
            append(entry.key)
            append(entry.seq)
        }
        return packed
    }

    static func unpack(_ packed: [UInt8]) -> [Entry] {
        packed.withUnsafeBytes { bytes in
            stride(from: 0, to: bytes.count - packedEntryBytes + 1, by: packedEntryBytes).map { offset in
                func value(_ field: Int) -> Int64 {
                    Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + field * 8, as: Int64.self))
                }
                return Entry(hash: value(0), key: value(1), seq: value(2))
            }
        }
    }
}
