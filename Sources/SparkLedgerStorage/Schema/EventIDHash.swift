/// The 64-bit FNV-1a hash of an event_id's UTF-8 bytes: the key of the event-id index (`event_id_blocks`).
/// Part of the on-disk format — changing it makes every stored database unreadable for dedupe.
enum EventIDHash {
    static func hash(_ eventID: String) -> Int64 {
        // A native string hands out its bytes in place. Walking `utf8` index by index cost
        // ~32 instructions a byte (callgrind), the loop over the buffer ~6 with the call.
        if let hash = eventID.utf8.withContiguousStorageIfAvailable(hash(bytes:)) { return hash }
        return hash(bytes: Array(eventID.utf8))
    }

    static func hash(bytes: some Collection<UInt8>) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }
}
