import GRDB
@testable import SparkLedgerStorage
import Testing

/// Texts bound from a `RowTextBuffer` reach SQLite byte for byte, whether they fit in the buffer
/// (bound in place) or not (copied), and a nil is NULL, an empty string ''.
@Suite struct RowTextBufferTests {
    @Test func textsInAndBeyondTheBufferAreStoredExactly() throws {
        let values: [String?] = ["job/a", nil, "", "é ünïcode ✓", String(repeating: "x", count: 40), "tail"]
        let stored = try DatabaseQueue().write { db -> [[String?]] in
            try db.execute(sql: "CREATE TABLE t (a TEXT, b TEXT, c TEXT, d TEXT, e TEXT, f TEXT)")
            let insert = try RawStatement(db, "INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
            // 32 bytes: the first four values fit, the 40-byte one does not, "tail" fits after it.
            let texts = RowTextBuffer(capacity: 32)
            for row in 0..<2 {
                texts.reset()
                for (index, value) in values.enumerated() {
                    texts.bind(Int32(index + 1), value.map { row == 0 ? $0 : String($0.reversed()) }, to: insert)
                }
                try insert.execute()
            }
            return try Row.fetchAll(db, sql: "SELECT a, b, c, d, e, f, typeof(b), typeof(c) FROM t ORDER BY rowid").map { row in
                (0..<8).map { row[$0] as String? }
            }
        }
        #expect(stored.count == 2)
        #expect(Array(stored[0][0..<6]) == values)
        #expect(Array(stored[1][0..<6]) == values.map { $0.map { String($0.reversed()) } })
        #expect(stored[0][6] == "null" && stored[0][7] == "text")
    }
}
