import SparkLedgerCore
import Testing

/// Byte-wise order of strings, and the sort that compares eight-byte prefixes first.
@Suite struct UTF8OrderTests {
    @Test func sortingByPrefixesGivesTheByteWiseOrder() {
        // Shared eight-byte prefixes, prefixes of each other, a NUL, the empty string, non-ASCII
        // (whose byte order differs from Swift's `<` on Characters).
        let strings = [
            "exec-0001-b", "exec-0001-a", "exec-0001", "exec-000", "", "exec-0001\u{0}", "ß-1", "z", "é", "e\u{301}",
            "09904e71-a3fb-4fea", "09904e71-a3fb-4fe", "2b72151f-390c", "exec-0001-aa",
        ]
        let expected = strings.indices.sorted { UTF8Order.precedes(strings[$0], strings[$1]) }
        #expect(UTF8Order.sorted(strings.indices, by: { strings[$0] }) == expected)
        #expect(UTF8Order.sorted(strings.indices.reversed(), by: { strings[$0] }) == expected)
        #expect(expected.map { strings[$0] }.prefix(3) == ["", "09904e71-a3fb-4fe", "09904e71-a3fb-4fea"])
    }
}
