import GRDB
@testable import SparkLedgerStorage
import Testing

@Suite struct KnownHashesTests {
    @Test func mergeKeepsEveryHashFindable() {
        var known = KnownHashes()
        var expected: Set<Int64> = []
        var generator = SystemRandomNumberGenerator()
        for round in 0..<20 {
            let added = (0..<(round * 37 % 200)).map { _ in Int64.random(in: .min ... .max, using: &generator) }.sorted()
            known.merge(added)
            expected.formUnion(added)
        }
        #expect(known.count == expected.count)
        #expect(known.sorted == known.sorted.sorted())
        #expect(expected.allSatisfy(known.mayContain))
        #expect(!known.mayContain(Int64.min) || expected.contains(Int64.min))
    }

    /// The bucket directory must agree with a set at every size: empty, a few, and enough for
    /// thousands of buckets, including the extreme values that sit in the first and last bucket.
    @Test func answersExactlyLikeASetAtEverySize() {
        var generator = SystemRandomNumberGenerator()
        var known = KnownHashes()
        var expected: Set<Int64> = []
        #expect(!known.mayContain(0))
        for added in [[Int64.min, -1, 0, Int64.max], (0..<5).map { _ in Int64.random(in: .min ... .max, using: &generator) },
                      (0..<120_000).map { _ in Int64.random(in: .min ... .max, using: &generator) }] {
            known.merge(added.sorted())
            expected.formUnion(added)
            #expect(expected.filter { !known.mayContain($0) }.isEmpty, "every added hash is found")
            let probes = (0..<20_000).map { _ in Int64.random(in: .min ... .max, using: &generator) } + [Int64.min + 1, Int64.max - 1, 1]
            #expect(probes.filter { known.mayContain($0) != expected.contains($0) }.isEmpty)
        }
    }

    @Test func duplicatesAreFoundAfterARestartAndAfterAnotherWriter() throws {
        let fixture = try StoreFixture()
        try fixture.append([Envelope.make("e1"), Envelope.make("e2")])
        // A new process: the filter is loaded from the event-id index.
        let restarted = try SQLiteEventStore(StoreConfiguration(path: fixture.path, clock: { StoreFixture.ingestTime }))
        #expect(try restarted.append(IngestBatch(items: StoreFixture.items([Envelope.make("e2"), Envelope.make("e3")]))).duplicates == 1)
        // The first store's filter predates e3: it must notice the other writer and reload.
        #expect(try fixture.append([Envelope.make("e3")]).duplicates == 1)
        #expect(try fixture.count("events") == 3)
    }

    /// The writer skips the look-up of an execution id its filter has never seen, so the filter
    /// must know executions stored before a restart and those another writer added since.
    @Test func executionsAreFoundAfterARestartAndAfterAnotherWriter() throws {
        let fixture = try StoreFixture()
        try fixture.append([Envelope.make("e1", execution: "exec-a", at: 1_790_000_000_000)])
        let restarted = try SQLiteEventStore(StoreConfiguration(path: fixture.path, clock: { StoreFixture.ingestTime }))
        try restarted.append(IngestBatch(items: StoreFixture.items([Envelope.make("e2", execution: "exec-a", at: 1_790_000_001_000),
                                                                    Envelope.make("e3", execution: "exec-b", at: 1_790_000_001_000)])))
        // The first store's filter predates exec-b: it must notice the other writer and reload.
        try fixture.append([Envelope.make("e4", execution: "exec-b", at: 1_790_000_002_000),
                            Envelope.make("e5", execution: "exec-a", at: 1_790_000_002_000)])
        let counts = try fixture.withDatabase { db in
            try Row.fetchAll(db, sql: "SELECT execution_id, event_count FROM executions ORDER BY execution_id")
                .map { "\($0[0] as String)=\($0[1] as Int)" }
        }
        #expect(counts == ["exec-a=3", "exec-b=2"])
    }
}
