/// A direct-mapped table of `Entry`s, one slot per hash of a byte sequence (`RowHash`): the
/// storage of `RecentStrings` and `RecentPayloads`. A slot holds whatever was put there last;
/// the caller compares the bytes it keeps with the ones it looks up. Raw memory, so that a
/// look-up checks no bounds and copies nothing out.
struct SlotsByBytes<Entry>: ~Copyable {
    private let base: UnsafeMutablePointer<Entry>
    private let mask: Int

    /// - Parameters:
    ///   - count: a power of two.
    ///   - empty: what every slot holds at first.
    init(count: Int, empty: Entry) {
        precondition(count > 0 && count & (count - 1) == 0, "slotCount must be a power of two, got \(count)")
        base = .allocate(capacity: count)
        base.initialize(repeating: empty, count: count)
        mask = count - 1
    }

    deinit {
        base.deinitialize(count: mask + 1)
        base.deallocate()
    }

    /// The slot of these bytes, to read or replace in place.
    func slot(for bytes: UnsafeRawBufferPointer) -> UnsafeMutablePointer<Entry> {
        base + (Int(truncatingIfNeeded: RowHash.hash(bytes)) & mask)
    }
}
