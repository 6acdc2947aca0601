import Foundation
import SparkLedgerIngest
import SparkLedgerStorage
import SparkLedgerSynthetic
import SparkLedgerTestSupport
import Testing

/// `sparkledger serve` as processes: killed with SIGKILL over and over and restarted, it ends with
/// exactly what `ingest` gives; two in a group split the partitions and one takes over from the
/// other; SIGTERM makes it commit, leave the group and exit 0, even in its first milliseconds.
@Suite(.serialized) struct ServeProcessTests {
    func expectSameAsIngest(_ history: PublishedHistory, _ store: SQLiteEventStore) throws {
        let (ingested, report) = try history.ingested()
        #expect(try storedEvents(store) == storedEvents(ingested))
        #expect(try snapshots(store) == snapshots(ingested))
        #expect(try store.usage() == ingested.usage())
        #expect(try store.quarantineCounts() == ingested.quarantineCounts())
        #expect(try store.quarantine().count == report.total.quarantinedTotal)
    }

    @Test func killedTwentyTimesAtRandomMomentsServeEndsWithExactlyOneCopyOfEverything() async throws {
        // Large enough, the steps small enough and the transactions short enough (5 records: a few
        // thousand records/s) that every mid-stream kill finds messages left, on a fast machine and
        // on one so loaded that the test's 50 ms polls come late.
        let history = try PublishedHistory(executions: 4_000, seed: 12)
        let db = history.directory.file("served.db")
        var group = TestBroker.uniqueName("group")
        let store = try history.store("served.db")
        let total = Int64(history.lines)
        var random = RandomSource(seed: 2026)
        var midStream = 0
        for round in 0..<20 {
            // Every third restart rejoins the group of the killed process, which makes the broker
            // wait for the dead member (~4 s); the others start a new group (no committed
            // offsets in Kafka: the positions stored in the database decide alone).
            if round % 3 != 2 { group = TestBroker.uniqueName("group") }
            let before = try history.appliedMessages(store)
            let serve = try ServeProcess(brokers: history.client.brokers, topic: history.topic, group: group, db: db,
                                         logPath: history.directory.file("serve-\(round).log"), batchRecords: 5)
            if round % 4 == 0 {
                // Any instant: while it opens the store, joins the group, or consumes.
                try await Task.sleep(for: .milliseconds(Int.random(in: 0...700, using: &random)))
            } else {
                // Mid-stream: after it applied a random share of what is left.
                let target = before + Int64(Int.random(in: 1...max(1, Int(total - before) / 30), using: &random))
                try await waitUntil("serve applied \(target) messages") { try history.appliedMessages(store) >= min(target, total) }
            }
            serve.killHard()
            let after = try history.appliedMessages(store)
            if after > before, after < total { midStream += 1 }
        }
        #expect(midStream >= 12, "only \(midStream) kills landed while messages were left; make the history larger")

        let last = try ServeProcess(brokers: history.client.brokers, topic: history.topic, group: group, db: db,
                                    logPath: history.directory.file("serve-last.log"))
        try await waitUntil("every message is applied") { try history.appliedMessages(store) == total }
        let took = last.terminate()
        #expect(last.process.terminationReason == .exit && last.process.terminationStatus == 0, "\(last.log)")
        #expect(took < .seconds(5))
        try expectSameAsIngest(history, store)
    }

    @Test func twoServesInOneGroupSplitThePartitionsAndOneTakesOverWhenTheOtherStops() async throws {
        let history = try PublishedHistory(executions: 2_000, seed: 44)
        let db = history.directory.file("served.db")
        let group = TestBroker.uniqueName("group")
        let store = try history.store("served.db")
        let first = try ServeProcess(brokers: history.client.brokers, topic: history.topic, group: group, db: db,
                                     logPath: history.directory.file("first.log"))
        try await waitUntil("the first serve owns partitions") { first.assignedPartitions?.isEmpty == false }
        let second = try ServeProcess(brokers: history.client.brokers, topic: history.topic, group: group, db: db,
                                      logPath: history.directory.file("second.log"))
        // Each partition goes to exactly one of them.
        try await waitUntil("both own partitions, none twice") {
            guard let a = first.assignedPartitions, let b = second.assignedPartitions, !a.isEmpty, !b.isEmpty else { return false }
            return a.isDisjoint(with: b) && a.union(b) == [0, 1, 2]
        }
        #expect(try history.appliedMessages(store) < Int64(history.lines), "the split should happen mid-stream; make the history larger")

        let stopped = first.terminate()
        #expect(first.process.terminationStatus == 0, "\(first.log)")
        #expect(stopped < .seconds(5))
        try await waitUntil("the second serve owns every partition") { second.assignedPartitions == [0, 1, 2] }
        try await waitUntil("every message is applied") { try history.appliedMessages(store) == Int64(history.lines) }
        #expect(second.terminate() < .seconds(5))
        #expect(second.process.terminationStatus == 0, "\(second.log)")
        try expectSameAsIngest(history, store)
    }

    /// From the first line of `main` on, SIGTERM is blocked and read by `serve`'s handler, so one
    /// sent while it opens the store or joins the group still ends in a clean exit. (Before
    /// `main`, while the loader maps the libraries, no program can catch a signal.)
    @Test func sigtermInTheFirstMillisecondsStillExitsZero() async throws {
        let history = try PublishedHistory(executions: 20, seed: 3)
        for delay in [0, 5, 40] {
            let serve = try ServeProcess(brokers: history.client.brokers, topic: history.topic, group: TestBroker.uniqueName("group"),
                                         db: history.directory.file("early-\(delay).db"), logPath: history.directory.file("early-\(delay).log"))
            try await waitUntil("serve's main blocks SIGTERM", seconds: 10) { serve.blocksSIGTERM }
            try await Task.sleep(for: .milliseconds(delay))
            let took = serve.terminate()
            #expect(serve.process.terminationReason == .exit, "delay \(delay) ms: killed by the signal")
            #expect(serve.process.terminationStatus == 0, "delay \(delay) ms: \(serve.log)")
            #expect(took < .seconds(5))
        }
    }
}
