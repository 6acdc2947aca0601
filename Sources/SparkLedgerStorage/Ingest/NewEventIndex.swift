/// The events a write session appended, by event-id hash: an open-addressing table with linear
/// probing. The hashes are already uniform 64-bit values, so their top bits (in unsigned order)
/// are the slot — no rehashing as `Dictionary` does with every key — and each slot holds the whole
/// entry. Slots in order are then nearly in hash order: only neighbours of one probe run (and the
/// few runs that wrap past the last slot) are out of place, so `sortedByHash` is an insertion sort
/// over the slots, not a full sort.
struct NewEventIndex {
    struct Entry {
        var hash: Int64
        var key: Int64
        var seq: Int64
    }

    /// One entry a slot, so that a probe touches one cache line; a hash of 0 marks an empty slot.
    private var slots: [Entry]
    /// An event whose hash is 0 is kept here instead.
    private var zero: (key: Int64, seq: Int64)?
    private var mask: Int
    private var shift: UInt64
    private(set) var count = 0

    /// Room for `expected` events before the table first grows.
    init(expected: Int = 0) {
        var bits = 4
        while (1 << bits) < expected * 2 { bits += 1 }
        slots = Array(repeating: Entry(hash: 0, key: 0, seq: 0), count: 1 << bits)
        mask = (1 << bits) - 1
        shift = UInt64(64 - bits)
    }

    /// The slot a hash's probe starts at: its top bits, the sign flipped so that slots ascend
    /// with the hashes' signed order.
    private func start(_ hash: Int64) -> Int {
        Int(truncatingIfNeeded: UInt64(bitPattern: hash ^ Int64.min) >> shift)
    }

    var isEmpty: Bool { count == 0 }

    /// Events it holds before it grows.
    var capacity: Int { slots.count / 2 }

    /// Empties the table and keeps its storage, for the next session (`WriterState`): a new
    /// table's pages were each a page fault as it was first filled.
    mutating func removeAll() {
        slots.withUnsafeMutableBytes { _ = $0.initializeMemory(as: UInt8.self, repeating: 0) }
        zero = nil
        count = 0
    }

    subscript(hash: Int64) -> (key: Int64, seq: Int64)? {
        if hash == 0 { return zero }
        var slot = start(hash)
        while true {
            let found = slots[slot]
            if found.hash == hash { return (found.key, found.seq) }
            if found.hash == 0 { return nil }
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
        if (count + 1) * 2 > slots.count { grow() }
        var slot = start(hash)
        while slots[slot].hash != 0 && slots[slot].hash != hash { slot = (slot + 1) & mask }
        if slots[slot].hash == 0 { count += 1 }
        slots[slot] = Entry(hash: hash, key: key, seq: seq)
    }

    /// Every entry, sorted by hash (the order of the index's blocks).
    func sortedByHash() -> [Entry] {
        var entries: [Entry] = []
        entries.reserveCapacity(count)
        if let zero { entries.append(Entry(hash: 0, key: zero.key, seq: zero.seq)) }
        for entry in slots where entry.hash != 0 {
            entries.append(entry)
        }
        // Nearly sorted already: each entry moves back past the few larger ones before it.
        entries.withUnsafeMutableBufferPointer { entries in
            for index in entries.indices.dropFirst() {
                let entry = entries[index]
                var hole = index
                while hole > 0 && entries[hole - 1].hash > entry.hash {
                    entries[hole] = entries[hole - 1]
                    hole -= 1
                }
                entries[hole] = entry
            }
        }
        return entries
    }

    private mutating func grow() {
        var larger = NewEventIndex(expected: slots.count)
        larger.zero = zero
        larger.count = zero == nil ? 0 : 1
        for entry in slots where entry.hash != 0 {
            larger.insert(entry.hash, key: entry.key, seq: entry.seq)
        }
        self = larger
    }
}
