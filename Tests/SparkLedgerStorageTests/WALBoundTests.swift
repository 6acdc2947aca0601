import Foundation
@testable import SparkLedgerStorage
import SparkLedgerCore
import Testing

/// A long stream of transactions keeps the WAL bounded: the writer truncates it between
/// transactions once it passes the limit (the background checkpointer alone never lets SQLite
/// restart it while transactions follow each other).
@Suite struct WALBoundTests {
    @Test func theWALStaysNearItsLimitThroughALongIngest() throws {
        let limit: Int64 = 1 << 20
        let bounded = try StoreFixture { $0.walLimitBytes = limit }
        let history = StoreFixture.history(executions: 1500, seed: 8)
        var batches = stride(from: 0, to: history.lines.count, by: 500).map { start in
            IngestBatch(items: StoreFixture.items(Array(history.lines[start..<min(history.lines.count, start + 500)])))
        }.makeIterator()
        var largest: Int64 = 0
        var commits = 0
        try bounded.store.appendStream(transactionRecords: 500, next: { batches.next() }, appended: { _ in }, committed: { _ in
            commits += 1
            largest = max(largest, WALCheckpointer.walBytes(of: bounded.path))
        })
        #expect(commits > 20)
        // At most the limit plus one transaction's pages (a 500-record transaction is well under 2 MiB here).
        #expect(largest < limit + (2 << 20), "largest WAL \(largest) bytes")
        #expect(try bounded.store.replay().identical)
    }
}
