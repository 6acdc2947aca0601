import SparkLedgerCore
@testable import SparkLedgerStorage
import Testing

@Suite struct StagedExecutionsTests {
    private static func staged(_ id: String, hash: Int64, key: Int64) -> WriteSession.StagedExecution {
        WriteSession.StagedExecution(key: key, executionID: id, executionIDHash: hash, original: nil, snapshot: ExecutionSnapshot(executionID: id))
    }

    /// Against a dictionary: growth from the smallest table past 20,000 executions, ids whose
    /// hashes are equal (only the id tells them apart), hashes whose mixed top bits are equal
    /// (one probe chain), and misses.
    @Test func findsWhatADictionaryFinds() {
        var table = StagedExecutions(expected: 0)
        var expected: [String: Int64] = [:]
        var ids: [(id: String, hash: Int64)] = (0..<20_000).map { ("exec-\($0)", KnownHashes.executionIDHash("exec-\($0)")) }
        ids += (0..<40).map { ("same-hash-\($0)", 42) }  // one hash, forty ids
        ids += [("zero", 0), ("min", Int64.min), ("max", Int64.max)]
        for (key, entry) in ids.enumerated() {
            table.insert(Self.staged(entry.id, hash: entry.hash, key: Int64(key)))
            expected[entry.id] = Int64(key)
        }
        #expect(table.count == expected.count)
        #expect(ids.allSatisfy { table[$0.id, hash: $0.hash]?.key == expected[$0.id] })
        #expect(ids.allSatisfy { table[$0.id, hash: $0.hash]?.executionID == $0.id })
        // An id that is not there, under a hash that is, and under one that is not.
        #expect(table["same-hash-40", hash: 42] == nil)
        #expect(table["exec-1", hash: KnownHashes.executionIDHash("exec-2")] == nil)
        #expect(table["exec-20000", hash: KnownHashes.executionIDHash("exec-20000")] == nil)
    }

    @Test func anEmptyTableFindsNothing() {
        let table = StagedExecutions()
        #expect(table.count == 0)
        #expect(table["a", hash: KnownHashes.executionIDHash("a")] == nil)
        #expect(table["", hash: 0] == nil)
    }
}
