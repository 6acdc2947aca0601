import Foundation
import GRDB
@testable import SparkLedgerStorage
import SparkLedgerArchive
import SparkLedgerCore
import SparkLedgerIngest
import Testing

/// Projections are a function of the log: rebuilt from it they come out bit-identical, however
/// the events arrived.
@Suite struct ReplayTests {
    @Test func replayReproducesIncrementalProjections() throws {
        let fixture = try StoreFixture()
        let history = StoreFixture.history(executions: 600, seed: 5, invalidRate: 0.01, lateRate: 0.05)
        let outcome = try fixture.appendAll(history.lines, batchSize: 1500)
        #expect(outcome.accepted == history.summary.events)
        let report = try fixture.store.replay()
        #expect(report.identical)
        #expect(report.events == Int64(history.summary.events))
        #expect(report.executions == Int64(StoreFixture.executionIDs(in: history.lines).count))
        #expect(report.executions > 500)
        #expect(report.committed)
        // The digest replay added up as it wrote is that of the store it committed.
        #expect(try fixture.withDatabase { try ProjectionDigest.compute($0) } == report.digestAfter)
        // Replaying twice changes nothing either.
        #expect(try fixture.store.replay().digestAfter == report.digestAfter)
    }

    /// Daily usage is summed from the snapshots replay writes, or — for stores too large to hold
    /// every contribution in memory — read back from the table: the two give the same bits.
    @Test func bothWaysOfRebuildingDailyUsageAgree() throws {
        let history = StoreFixture.history(executions: 400, seed: 11, lateRate: 0.05)
        var reports: [ReplayReport] = []
        for limit in [1_000_000, 0] {
            let fixture = try StoreFixture { $0.replayUsageInMemoryLimit = limit }
            try fixture.appendAll(history.lines, batchSize: 500)
            try fixture.withDatabase { db in try db.execute(sql: "UPDATE daily_usage SET cost_usd = cost_usd + 1, tasks = 0") }
            let repair = try fixture.store.replay()
            #expect(!repair.identical, "the tampered rows were found")
            #expect(try fixture.store.replay().identical)
            reports.append(repair)
        }
        #expect(reports[0].digestAfter == reports[1].digestAfter)
        #expect(reports[0].usageRows == reports[1].usageRows && reports[0].usageRows > 0)
    }

    @Test func replayFindsAndRepairsATamperedProjection() throws {
        let fixture = try StoreFixture()
        try fixture.appendAll(StoreFixture.history(executions: 50, seed: 2).lines, batchSize: 100)
        let clean = try fixture.store.replay(dryRun: true)
        try fixture.withDatabase { db in
            try db.execute(sql: "UPDATE executions SET state = 'FAILED' WHERE execution_key = 3")
            try db.execute(sql: "UPDATE daily_usage SET cost_usd = cost_usd + 1")
            // An indexed column, a metrics payload, and a metrics row of no execution.
            try db.execute(sql: "UPDATE executions SET team = 'intruder' WHERE execution_key = 5")
            try db.execute(sql: "UPDATE execution_metrics SET payload = '{}' WHERE execution_key = (SELECT min(execution_key) FROM execution_metrics)")
            try db.execute(sql: "INSERT INTO execution_metrics (execution_key, payload) VALUES (999999, '{}')")
        }
        let dry = try fixture.store.replay(dryRun: true)
        #expect(!dry.identical)
        #expect(dry.digestAfter == clean.digestAfter)
        #expect(!dry.committed)
        #expect(try !fixture.store.replay(dryRun: true).identical)  // the dry run rolled back
        let repair = try fixture.store.replay()
        #expect(!repair.identical && repair.digestAfter == clean.digestAfter)
        // The team index was rewritten with the row: a look-up through it finds the repaired team.
        let intruders = try fixture.withDatabase { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM executions INDEXED BY executions_by_team WHERE team = 'intruder'") }
        #expect(intruders == 0)
        #expect(try fixture.store.replay().identical)
    }

    @Test func batchSizeAndArrivalOrderDoNotChangeWhatUsersSee() throws {
        let history = StoreFixture.history(executions: 250, seed: 9, lateRate: 0.1)
        let reference = try StoreFixture()
        try reference.appendAll(history.lines, batchSize: 100_000)
        let expected = try reference.visibleState()
        #expect(expected.executions.count == 250)

        let small = try StoreFixture()
        try small.appendAll(history.lines, batchSize: 7)
        let smallState = try small.visibleState()
        #expect(smallState.executions == expected.executions)
        #expect(smallState.usage == expected.usage)

        // Arrival order reversed: every event arrives before the ones it follows (refold path).
        let reversed = try StoreFixture()
        try reversed.appendAll(history.lines.reversed(), batchSize: 33)
        let reversedState = try reversed.visibleState()
        #expect(reversedState.executions == expected.executions)
        // Same rows; money summed in another execution order may differ in the last bit.
        #expect(reversedState.usage.map(\.key) == expected.usage.map(\.key))
        for (a, b) in zip(reversedState.usage, expected.usage) {
            #expect(a.executions == b.executions && a.succeeded == b.succeeded && a.shuffleReadBytes == b.shuffleReadBytes)
            #expect(abs(a.costUSD - b.costUSD) <= 1e-9 * max(1, abs(b.costUSD)))
        }
        #expect(try reversed.store.replay().identical)
    }

    /// Reversed arrival in one transaction fed in small batches: most executions hear, in a
    /// later batch, an event that sorts before what was folded, so `finish` refolds hundreds of
    /// them on another thread, many chunks of `WriteSession.refoldChunk`, interleaved with the
    /// executions it writes itself. The snapshots are those of an in-order ingest.
    @Test func refoldsOfManyChunksInOneTransactionGiveTheInOrderSnapshots() throws {
        let history = StoreFixture.history(executions: 600, seed: 17, lateRate: 0.1)
        let reference = try StoreFixture()
        try reference.appendAll(history.lines, batchSize: 100_000)
        let expected = try reference.visibleState()

        let lines = Array(history.lines.reversed())
        let batchSize = 40
        // An execution whose events fall in two batches or more of the reversed stream gets,
        // in its later batch, an event that sorts before what was folded: it is refolded.
        var batchesOfExecution: [String: Set<Int>] = [:]
        for (index, line) in lines.enumerated() {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
            batchesOfExecution[try #require(object["execution_id"] as? String), default: []].insert(index / batchSize)
        }
        let refolded = batchesOfExecution.values.filter { $0.count > 1 }.count
        #expect(refolded > 4 * WriteSession.refoldChunk, "refolded executions: \(refolded)")

        let fixture = try StoreFixture()
        var batches = stride(from: 0, to: lines.count, by: batchSize).map { start in
            IngestBatch(items: StoreFixture.items(Array(lines[start..<min(lines.count, start + batchSize)])))
        }.makeIterator()
        var commits = 0
        try fixture.store.appendStream(transactionRecords: lines.count + 1, transactionSeconds: 3_600,
                                       next: { batches.next() }, appended: { _ in }, committed: { _ in commits += 1 })
        #expect(commits == 1)
        let state = try fixture.visibleState()
        #expect(state.executions == expected.executions)
        #expect(state.usage.map(\.key) == expected.usage.map(\.key))
        #expect(try fixture.store.replay().identical)
    }

    @Test func exportThenIngestReproducesIdenticalSnapshots() throws {
        let source = try StoreFixture()
        try source.appendAll(StoreFixture.history(executions: 400, seed: 21, invalidRate: 0.01).lines, batchSize: 2000)
        let exportDirectory = source.directory.file("export")
        let writer = try SegmentWriter(directory: exportDirectory, eventsPerSegment: 1000)
        try source.store.forEachEvent { _, event in try writer.write(envelope: event.canonicalEnvelope(), timestamp: event.timestamp) }
        let manifest = try writer.finish()
        #expect(manifest.events == Int64(try source.count("events")))
        #expect(manifest.segments.count == Int((manifest.events + 999) / 1000))

        let copy = try StoreFixture("copy.db")
        let report = try FileIngestor(store: copy.store).ingest([exportDirectory])
        #expect(report.total.accepted == Int(manifest.events))
        #expect(report.total.duplicates == 0 && report.total.quarantinedTotal == 0)
        // Bit-identical projections: same digest, execution keys included.
        #expect(try copy.store.replay(dryRun: true).digestBefore == source.store.replay(dryRun: true).digestBefore)
    }
}
