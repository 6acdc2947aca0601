/// The 64-bit FNV-1a hash of an event_id's UTF-8 bytes: the key of the `event_ids` table.
/// Part of the on-disk format — changing it makes every stored database unreadable for dedupe.
enum EventIDHash {
    static func hash(_ eventID: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in eventID.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }
}
