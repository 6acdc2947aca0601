import GRDB

/// Every event-id hash in the store, sorted, so that an event that is certainly new (nearly all of
/// them) costs a binary search instead of a b-tree probe. A hit still goes to `event_ids` and is
/// confirmed against the stored event id.
///
/// 8 bytes an event; above `capacity` stored events the writer does without it.
struct KnownEventHashes {
    static let capacity = 16_000_000

    private(set) var sorted: [Int64] = []

    /// Loads the hashes in key order (one sequential scan); nil when the store holds too many.
    static func load(_ db: Database) throws -> KnownEventHashes? {
        let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM event_ids") ?? 0
        guard count <= capacity else { return nil }
        var known = KnownEventHashes()
        known.sorted.reserveCapacity(count + 100_000)
        let select = try RawStatement(db, "SELECT event_hash FROM event_ids ORDER BY event_hash")
        defer { select.reset() }
        while try select.step() {
            known.sorted.append(select.int64(0))
        }
        return known
    }

    func mayContain(_ hash: Int64) -> Bool {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < hash { low = middle + 1 } else { high = middle }
        }
        return low < sorted.count && sorted[low] == hash
    }

    /// Adds a transaction's new hashes (already sorted) by merging.
    mutating func merge(_ added: [Int64]) {
        guard !added.isEmpty else { return }
        var merged: [Int64] = []
        merged.reserveCapacity(sorted.count + added.count)
        var i = 0
        var j = 0
        while i < sorted.count && j < added.count {
            if sorted[i] <= added[j] { merged.append(sorted[i]); i += 1 } else { merged.append(added[j]); j += 1 }
        }
        merged.append(contentsOf: sorted[i...])
        merged.append(contentsOf: added[j...])
        sorted = merged
    }

    var count: Int { sorted.count }
}
