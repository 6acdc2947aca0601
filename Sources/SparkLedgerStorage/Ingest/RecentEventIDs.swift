import GRDB

/// The newest part of the event-id index, held in memory: what `event_ids_recent` holds on disk.
///
/// The index on disk (`EventIDBlocks`) is ordered by a uniform hash, so a transaction that adds
/// to it rewrites nearly every block. A transaction instead stores its new event ids as one row
/// of `event_ids_recent`: a packed array (`PackedEventIDs`), so one statement and one append.
/// Once `StoreConfiguration.recentEventIDsLimit` ids have gathered there, the writer moves them
/// all into the blocks and empties the table, in one transaction: the index is rewritten once per
/// that many events instead of once per transaction. Until then the writer finds them here, in
/// memory.
///
/// Sorted by hash; 24 bytes an entry.
struct RecentEventIDs {
    typealias Entry = NewEventIndex.Entry

    private(set) var sorted: [Entry] = []

    init() {}

    /// Every entry of `event_ids_recent`.
    init(_ db: Database) throws {
        let rows = try RawStatement(db, "SELECT first_seq, entries FROM event_ids_recent")
        defer { rows.reset() }
        while try rows.step() {
            let packed = rows.blob(1)
            try PackedEventIDs.check(packed.count, what: "event_ids_recent row \(rows.int64(0))")
            sorted.append(contentsOf: PackedEventIDs.unpack(packed))
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

    /// Keeps the storage: the next transactions merge into it again, and growing a new array
    /// from empty made each of its pages a page fault again.
    mutating func removeAll() {
        sorted.removeAll(keepingCapacity: true)
    }
}
