/// The events a write session appended, by event-id hash: an open-addressing table with linear
/// probing. The hashes are already uniform 64-bit values, so their low bits are the slot — no
/// rehashing as `Dictionary` does with every key — and the table is laid out in three flat arrays.
struct NewEventIndex {
    struct Entry {
        var hash: Int64
        var key: Int64
        var seq: Int64
    }

    private var hashes: [Int64]
    private var keys: [Int64]
    private var seqs: [Int64]
    /// `hashes` uses 0 for an empty slot; an event whose hash is 0 is kept here instead.
    private var zero: (key: Int64, seq: Int64)?
    private var mask: Int
    private(set) var count = 0

    /// Room for `expected` events before the table first grows.
    init(expected: Int = 0) {
        var slots = 16
        while slots < expected * 2 { slots <<= 1 }
        hashes = Array(repeating: 0, count: slots)
        keys = Array(repeating: 0, count: slots)
        seqs = Array(repeating: 0, count: slots)
        mask = slots - 1
    }

    var isEmpty: Bool { count == 0 }

    subscript(hash: Int64) -> (key: Int64, seq: Int64)? {
        if hash == 0 { return zero }
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let found = hashes[slot]
            if found == hash { return (keys[slot], seqs[slot]) }
            if found == 0 { return nil }
            slot = (slot + 1) & mask
        }
    }

    /// Records where the event with this hash went; a hash already present is overwritten.
    mutating func insert(_ hash: Int64, key: Int64, seq: Int64) {
        if hash == 0 {
            if zero == nil { count += 1 }
            zero = (key, seq)
            return
        }
        if (count + 1) * 2 > hashes.count { grow() }
        var slot = Int(truncatingIfNeeded: hash) & mask
        while hashes[slot] != 0 && hashes[slot] != hash { slot = (slot + 1) & mask }
        if hashes[slot] == 0 { count += 1 }
        hashes[slot] = hash
        keys[slot] = key
        seqs[slot] = seq
    }

    /// Every entry, sorted by hash (the order `event_ids` is written in).
    func sortedByHash() -> [Entry] {
        var entries: [Entry] = []
        entries.reserveCapacity(count)
        if let zero { entries.append(Entry(hash: 0, key: zero.key, seq: zero.seq)) }
        for slot in hashes.indices where hashes[slot] != 0 {
            entries.append(Entry(hash: hashes[slot], key: keys[slot], seq: seqs[slot]))
        }
        entries.sort { $0.hash < $1.hash }
        return entries
    }

    private mutating func grow() {
        var larger = NewEventIndex(expected: hashes.count)
        larger.zero = zero
        larger.count = zero == nil ? 0 : 1
        for slot in hashes.indices where hashes[slot] != 0 {
            larger.insert(hashes[slot], key: keys[slot], seq: seqs[slot])
        }
        self = larger
    }
}
