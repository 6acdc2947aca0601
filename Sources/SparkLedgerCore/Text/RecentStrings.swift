/// Strings built lately from UTF-8 bytes, handed out again when the same bytes come back.
///
/// An execution's events all carry its execution_id, and most events' payloads are one of a few
/// dozen texts (`{"attempt":0,"operator_state":"Submitted"}`). Building each of them again cost an
/// allocation, a copy and a UTF-8 check, and later a free (~300 instructions; callgrind of a
/// 300,000-line ingest); a hit here costs a hash, a comparison and a retain, and the events
/// share one copy of the text in memory.
///
/// A table of `slotCount` slots (`SlotsByBytes`), each holding the last string whose bytes hashed
/// to it; a string that misses replaces it. Strings of at most 15 bytes are not kept: Swift
/// stores them inline, without an allocation. Not `Sendable`: one per thread, like the tape it is
/// used with.
public final class RecentStrings {
    /// Longer byte sequences are built every time: long texts rarely repeat.
    public static let maximumLength = 128

    private let slots: SlotsByBytes<String>

    /// - Parameter slotCount: a power of two. 4,096 slots kept 93 % of the execution ids and
    ///   payload texts of a generated history (simulated over its first 300,000 lines).
    public init(slotCount: Int = 4096) {
        slots = SlotsByBytes(count: slotCount, empty: "")
    }

    /// The string of `count` UTF-8 bytes at `bytes` (ill-formed sequences repaired, as
    /// `String(decoding:as:)` does): the one kept for these bytes when there is one, else a new
    /// one, which is kept.
    public func string(_ bytes: UnsafePointer<UInt8>, count: Int) -> String {
        guard count > 15, count <= Self.maximumLength else {
            return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
        }
        let slot = slots.slot(for: UnsafeRawBufferPointer(start: bytes, count: count))
        let kept = slot.pointee.withBorrowedUTF8 { kept in
            kept.count == count && memoryEqual(kept.baseAddress.unsafelyUnwrapped, bytes, count)
        }
        if kept { return slot.pointee }
        let made = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
        // Repaired bytes would never match again; such a string is not kept.
        if made.utf8.count == count { slot.pointee = made }
        return made
    }
}
