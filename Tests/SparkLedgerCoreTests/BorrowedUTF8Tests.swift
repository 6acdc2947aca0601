import Testing
@testable import SparkLedgerCore

struct BorrowedUTF8Tests {
    /// Small strings live inside the String value, larger ones in storage of their own, and a
    /// substring's String is made from a slice: each lends exactly its own UTF-8 bytes.
    @Test(arguments: ["", "a", "job/path", "fifteen bytes!!", "sixteen bytes!!!", "équipe-données ✓ 🚀",
                      String(repeating: "0123456789abcdef", count: 40), String("prefix:the-execution-id".dropFirst(7))])
    func lendsTheStringsOwnBytes(_ string: String) {
        let lent = string.withBorrowedUTF8 { Array($0) }
        #expect(lent == Array(string.utf8))
    }
}
