import GRDB
@testable import SparkLedgerStorage
import Testing

@Suite struct KnownEventHashesTests {
    @Test func mergeKeepsEveryHashFindable() {
        var known = KnownEventHashes()
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

    @Test func duplicatesAreFoundAfterARestartAndAfterAnotherWriter() throws {
        let fixture = try StoreFixture()
        try fixture.append([Envelope.make("e1"), Envelope.make("e2")])
        // A new process: the filter is loaded from event_ids.
        let restarted = try SQLiteEventStore(StoreConfiguration(path: fixture.path, clock: { StoreFixture.ingestTime }))
        #expect(try restarted.append(IngestBatch(items: StoreFixture.items([Envelope.make("e2"), Envelope.make("e3")]))).duplicates == 1)
        // The first store's filter predates e3: it must notice the other writer and reload.
        #expect(try fixture.append([Envelope.make("e3")]).duplicates == 1)
        #expect(try fixture.count("events") == 3)
    }
}
