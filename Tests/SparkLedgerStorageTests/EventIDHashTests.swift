@testable import SparkLedgerStorage
import Testing

/// The event-id hash keys the event-id index on disk: a store written by one build must be read by the
/// next, so its values are pinned to the published FNV-1a 64-bit test vectors.
@Suite struct EventIDHashTests {
    @Test func matchesTheFNV1a64TestVectors() {
        #expect(EventIDHash.hash("") == Int64(bitPattern: 0xcbf2_9ce4_8422_2325))
        #expect(EventIDHash.hash("a") == Int64(bitPattern: 0xaf63_dc4c_8601_ec8c))
        #expect(EventIDHash.hash("foobar") == Int64(bitPattern: 0x8594_4171_f739_67e8))
    }

    /// Native strings hash their bytes in place, small ones (stored inside the `String` value)
    /// and others through a copy; all must hash the UTF-8 bytes, multi-byte characters included.
    @Test func everyStringHashesItsUTF8Bytes() {
        for id in ["df85a085-1afe-4fa8-94dc-34f66b0ad76b-é✓", "short-id", "ü", String(repeating: "x", count: 128)] {
            var reference: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in Array(id.utf8) { reference = (reference ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
            #expect(EventIDHash.hash(id) == Int64(bitPattern: reference), "\(id)")
            #expect(EventIDHash.hash(bytes: Array(id.utf8)) == Int64(bitPattern: reference), "\(id)")
        }
    }
}
