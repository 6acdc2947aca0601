/// Payloads decoded lately, by the bytes they came as, handed out again when the same bytes come
/// back in an event of the same type.
///
/// Most events' payloads are one of a few dozen texts: 63 % of a generated history's events are
/// `STATE` with payloads like `{"operator_state":"Submitted","attempt":0}`, and 9 % `TERMINAL`
/// with `{"final_state":"SUCCEEDED"}`. Decoding such a payload and writing its canonical text
/// cost ~1,900 instructions (callgrind of a 300,000-line ingest); a hit here costs a hash of
/// its bytes, a comparison and two retains. The same bytes in the same event type always decode
/// to the same payload and canonical text, so a hit is exactly what decoding would give.
///
/// A table of `slotCount` slots (`SlotsByBytes`), each holding the last payload whose bytes hashed
/// to it; a payload that misses replaces it. Payloads over `maximumLength` bytes are not
/// kept: long payloads (`SUBMIT`, `METRICS_SUMMARY`) carry ids and measurements and never repeat.
/// The log's readers (refolds, replay) use one too, keyed by the stored canonical text: the same
/// text in the same event type decodes to the same payload.
/// Not `Sendable`: one per thread, like the tape it is used with.
public final class RecentPayloads {
    public static let maximumLength = 128

    struct Entry {
        var type: EventType
        var bytes: [UInt8]
        var payload: EventPayload
        var canonicalText: String
    }

    /// An empty slot holds an entry of no bytes, which no payload matches (an object has two or more).
    private let slots: SlotsByBytes<Entry>

    /// - Parameter slotCount: a power of two. 1,024 slots kept 99 % of the repeating payloads of
    ///   a generated history (simulated over its first 300,000 lines; 128 slots kept as many).
    public init(slotCount: Int = 1024) {
        slots = SlotsByBytes(count: slotCount, empty: Entry(type: .cancel, bytes: [], payload: .cancel(CancelPayload()), canonicalText: ""))
    }

    /// The payload and canonical text kept for the bytes of the tape's container `node` in an
    /// event of `type`, or nil when none is (or the tape has no document to compare).
    func kept(_ type: EventType, in tape: JSONTape, at node: Int) -> (payload: EventPayload, canonicalText: String)? {
        tape.withDocumentBytes(of: node) { bytes in bytes.flatMap { kept(type, bytes: $0) } }
    }

    /// Keeps what the bytes of the tape's container `node` decoded to in an event of `type`.
    func keep(_ type: EventType, in tape: JSONTape, at node: Int, payload: EventPayload, canonicalText: String) {
        tape.withDocumentBytes(of: node) { bytes in
            if let bytes { keep(type, bytes: bytes, payload: payload, canonicalText: canonicalText) }
        }
    }

    /// The payload and canonical text kept for a payload of these bytes in an event of `type`, or nil.
    public func kept(_ type: EventType, bytes: UnsafeBufferPointer<UInt8>) -> (payload: EventPayload, canonicalText: String)? {
        guard bytes.count <= Self.maximumLength, bytes.count > 0 else { return nil }
        let slot = slots.slot(for: UnsafeRawBufferPointer(bytes))
        // Read in place: a copy of the entry retained and released its bytes, payload and text.
        guard slot.pointee.type == type, slot.pointee.bytes.count == bytes.count,
              slot.pointee.bytes.withUnsafeBufferPointer({ memoryEqual($0.baseAddress.unsafelyUnwrapped, bytes.baseAddress.unsafelyUnwrapped, bytes.count) })
        else { return nil }
        return (slot.pointee.payload, slot.pointee.canonicalText)
    }

    /// Keeps what a payload of these bytes decoded to in an event of `type`.
    public func keep(_ type: EventType, bytes: UnsafeBufferPointer<UInt8>, payload: EventPayload, canonicalText: String) {
        guard bytes.count <= Self.maximumLength, bytes.count > 0 else { return }
        let slot = slots.slot(for: UnsafeRawBufferPointer(bytes))
        slot.pointee = Entry(type: type, bytes: Array(bytes), payload: payload, canonicalText: canonicalText)
    }
}
