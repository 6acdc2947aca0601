import GRDB
@testable import SparkLedgerStorage
import SparkLedgerCore
import Testing

/// A batch's events, snapshots, usage, quarantine and checkpoint commit together or not at all.
@Suite struct BatchTransactionTests {
    @Test func aFailingBatchLeavesNoTrace() throws {
        let fixture = try StoreFixture()
        try fixture.append([Envelope.submit("s1", execution: "a")], checkpoints: [IngestCheckpoint(source: "file:/x", position: 1)])
        let before = try fixture.visibleState()

        // Valid events first, then a record the schema refuses (raw_size smaller than raw).
        var items = StoreFixture.items([Envelope.submit("s2", execution: "b"), Envelope.make("r1", execution: "a")])
        items.append(.rejected(QuarantinedInput(rejection: Rejection(.malformed, "x"), origin: .file(path: "x", line: 3), raw: [1, 2, 3], rawSize: 0)))
        #expect(throws: StoreError.self) {
            try fixture.store.append(IngestBatch(items: items, checkpoints: [IngestCheckpoint(source: "file:/x", position: 3)]))
        }
        #expect(try fixture.count("events") == 1)
        #expect(try fixture.indexedEventIDCount() == 1)
        #expect(try fixture.count("quarantine") == 0)
        #expect(try fixture.store.checkpoint(source: "file:/x")?.position == 1)
        let after = try fixture.visibleState()
        #expect(after.executions == before.executions)
        #expect(after.usage == before.usage)

        // The writer forgot what it had cached for the failed batch: the same events now commit.
        let outcome = try fixture.append([Envelope.submit("s2", execution: "b"), Envelope.make("r1", execution: "a")])
        #expect(outcome.accepted == 2)
        #expect(try fixture.store.execution(id: "a")?.snapshot.state == .running)
        #expect(try fixture.store.execution(id: "b")?.snapshot.eventCount == 1)
    }

    @Test func anotherWriterInvalidatesTheCache() throws {
        let fixture = try StoreFixture()
        try fixture.append([Envelope.submit("s1", execution: "a")])
        // A second store on the same file (another process) writes to the same execution.
        let other = try SQLiteEventStore(StoreConfiguration(path: fixture.path, clock: { StoreFixture.ingestTime }))
        try other.append(IngestBatch(items: StoreFixture.items([Envelope.make("r1", execution: "a", at: 1_790_000_010_000)])))
        // The first store must see that, not its cached snapshot.
        try fixture.append([Envelope.make("t1", execution: "a", type: "TERMINAL", at: 1_790_000_020_000, payload: #"{"final_state":"SUCCEEDED"}"#)])
        let snapshot = try #require(try fixture.store.execution(id: "a")).snapshot
        #expect(snapshot.eventCount == 3)
        #expect(snapshot.startTime == 1_790_000_010_000)
        #expect(snapshot.state == .succeeded)
        #expect(try fixture.store.replay(dryRun: true).identical)
    }

    /// The writer remembers each usage row's members and applies a transaction's changes to
    /// them; another writer's change to one member must not be summed from that memory.
    @Test func anotherWritersChangeToAUsageRowIsNotSummedFromMemory() throws {
        let fixture = try StoreFixture()
        let day: Int64 = 1_790_000_000_000
        try fixture.append([Envelope.submit("s1", execution: "a", at: day), Envelope.submit("s2", execution: "b", at: day + 1)])
        // The same row, recomputed from memory in a second transaction.
        try fixture.append([Envelope.make("m1", execution: "a", type: "METRICS_SUMMARY", at: day + 10, payload: #"{"tasks":3}"#)])
        let other = try SQLiteEventStore(StoreConfiguration(path: fixture.path, clock: { StoreFixture.ingestTime }))
        try other.append(IngestBatch(items: StoreFixture.items([
            Envelope.make("m2", execution: "a", type: "METRICS_SUMMARY", at: day + 20, payload: #"{"tasks":40}"#),
        ])))
        // Only b changes here: a's 40 tasks must come from the table, not the remembered 3.
        try fixture.append([Envelope.make("m3", execution: "b", type: "METRICS_SUMMARY", at: day + 30, payload: #"{"tasks":500}"#)])
        let rows = try fixture.store.usage()
        #expect(rows.count == 1)
        #expect(rows.first?.tasks == 540)
        #expect(try fixture.store.replay(dryRun: true).identical)
    }

    /// A transaction changes the usage members the writer remembers in place, then fails after
    /// its usage recompute (at the checkpoint, which the schema refuses): the changes must not
    /// outlive it. The next transaction sums the row from what was committed.
    @Test func aFailedTransactionsUsageChangesAreForgotten() throws {
        let fixture = try StoreFixture()
        let day: Int64 = 1_790_000_000_000
        try fixture.append([Envelope.submit("s1", execution: "a", at: day),
                            Envelope.make("m1", execution: "a", type: "METRICS_SUMMARY", at: day + 10, payload: #"{"tasks":3}"#)])
        // Remembered now with its member a; b joins it and a's tasks change, then the batch fails.
        #expect(throws: StoreError.self) {
            try fixture.store.append(IngestBatch(
                items: StoreFixture.items([
                    Envelope.submit("s2", execution: "b", at: day + 1),
                    Envelope.make("m2", execution: "a", type: "METRICS_SUMMARY", at: day + 20, payload: #"{"tasks":40}"#),
                ]),
                checkpoints: [IngestCheckpoint(source: "file:/x", position: -1)]))
        }
        #expect(try fixture.store.usage().first?.executions == 1)
        // The row again, recomputed: a with its stored 3 tasks and c, not the failed b or 40.
        try fixture.append([Envelope.submit("s3", execution: "c", at: day + 2),
                            Envelope.make("m3", execution: "c", type: "METRICS_SUMMARY", at: day + 30, payload: #"{"tasks":500}"#)])
        let rows = try fixture.store.usage()
        #expect(rows.count == 1)
        #expect(rows.first?.executions == 2)
        #expect(rows.first?.tasks == 503)
        #expect(try fixture.store.replay(dryRun: true).identical)
    }

    /// Transactions of 100 records write more executions than a cache of 1 or 6 keeps, so the
    /// writer keeps only the newest of each and finds the rest in the store later: the snapshots
    /// and usage are those of a writer that cached everything, and those a replay rebuilds.
    @Test(arguments: [1, 6])
    func aWriterCacheSmallerThanATransactionChangesNothing(capacity: Int) throws {
        let history = StoreFixture.history(executions: 120, seed: 17, lateRate: 0.1)
        let small = try StoreFixture { $0.writerCacheCapacity = capacity }
        let large = try StoreFixture()
        try small.appendAll(history.lines, batchSize: 100)
        try large.appendAll(history.lines, batchSize: 100)
        let state = try small.visibleState()
        #expect(state.executions.count == StoreFixture.executionIDs(in: history.lines).count)
        #expect(state.executions == (try large.visibleState()).executions)
        #expect(state.usage == (try large.visibleState()).usage)
        #expect(try small.store.replay(dryRun: true).identical)
    }
}
