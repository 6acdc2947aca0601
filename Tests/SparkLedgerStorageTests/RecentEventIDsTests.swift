import GRDB
@testable import SparkLedgerStorage
import Testing

@Suite struct RecentEventIDsTests {
    private typealias Entry = RecentEventIDs.Entry

    private static func randomEntries(_ count: Int, using generator: inout SystemRandomNumberGenerator) -> [Entry] {
        (0..<count).map { _ in
            Entry(hash: Int64.random(in: .min ... .max, using: &generator), key: Int64.random(in: 1...1_000, using: &generator),
                  seq: Int64.random(in: 1...1_000_000, using: &generator))
        }.sorted { $0.hash < $1.hash }
    }

    @Test func mergingInPlaceKeepsHashOrderAndFindsEveryEntry() {
        var generator = SystemRandomNumberGenerator()
        var recent = RecentEventIDs()
        var expected: [Int64: (key: Int64, seq: Int64)] = [:]
        #expect(recent[0] == nil)
        let extremes = [Entry(hash: .min, key: 1, seq: 1), Entry(hash: 0, key: 2, seq: 2), Entry(hash: .max, key: 3, seq: 3)]
        for added in [extremes, [], Self.randomEntries(1, using: &generator), Self.randomEntries(5_000, using: &generator),
                      Self.randomEntries(37, using: &generator)] {
            recent.merge(added)
            for entry in added { expected[entry.hash] = (entry.key, entry.seq) }
            #expect(recent.count == expected.count)
            #expect(recent.sorted.map(\.hash) == recent.sorted.map(\.hash).sorted())
            #expect(expected.filter { hash, location in recent[hash].map { $0 != location } ?? true }.isEmpty)
            let probes = (0..<2_000).map { _ in Int64.random(in: .min ... .max, using: &generator) } + [Int64.min + 1, -1, 1, Int64.max - 1]
            #expect(probes.filter { (recent[$0] != nil) != (expected[$0] != nil) }.isEmpty)
        }
        recent.removeAll()
        #expect(recent.count == 0 && recent[Int64.max] == nil)
    }

    /// The packed layout is part of the schema (schemas/store.sql): three little-endian 64-bit
    /// integers an entry, hash first.
    @Test func packedEntriesAreLittleEndianTriples() {
        let entries = [Entry(hash: -2, key: 0x0102, seq: 0x0102_0304_0506_0708), Entry(hash: 7, key: 1, seq: 9)]
        let packed = PackedEventIDs.pack(entries)
        #expect(packed.count == 48)
        #expect(Array(packed[0..<8]) == [0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
        #expect(Array(packed[8..<16]) == [0x02, 0x01, 0, 0, 0, 0, 0, 0])
        #expect(Array(packed[16..<24]) == [0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01])
        let unpacked = PackedEventIDs.unpack(packed)
        #expect(unpacked.map(\.hash) == [-2, 7] && unpacked.map(\.key) == [0x0102, 1] && unpacked.map(\.seq) == [0x0102_0304_0506_0708, 9])
    }

    /// Ids wait in event_ids_recent until `recentEventIDsLimit` have gathered, then move into
    /// event_id_blocks; in either place a restarted store must find them (as duplicates and conflicts).
    @Test func idsAreFoundWhileTheyWaitAndAfterTheyMove() throws {
        let fixture = try StoreFixture { $0.recentEventIDsLimit = 25 }
        let first = (0..<20).map { Envelope.make("id-\($0)", execution: "exec-\($0 % 4)", at: 1_790_000_000_000 + Int64($0)) }
        #expect(try fixture.append(first).accepted == 20)
        #expect(try fixture.blockedEventIDCount() == 0)
        #expect(try fixture.recentEventIDCount() == 20)
        #expect(try fixture.count("event_ids_recent") == 1)  // one row a transaction

        let restarted = try StoreFixture.reopen(fixture) { $0.recentEventIDsLimit = 25 }
        let again = try restarted.append(IngestBatch(items: StoreFixture.items(
            [first[3], Envelope.make("id-4", execution: "exec-0", at: 1_790_000_000_999)])))
        #expect(again.duplicates == 1 && again.quarantined[.conflictingDuplicate] == 1 && again.accepted == 0)

        // 20 waiting + 10 new reach the limit: all 30 move, sorted, in this transaction.
        let second = (20..<30).map { Envelope.make("id-\($0)", execution: "exec-\($0 % 4)", at: 1_790_000_000_000 + Int64($0)) }
        #expect(try restarted.append(IngestBatch(items: StoreFixture.items(second))).accepted == 10)
        #expect(try fixture.blockedEventIDCount() == 30)
        #expect(try fixture.recentEventIDCount() == 0)

        // The first store must notice the other writer's move and find every id.
        let outcome = try fixture.append(first + second + [Envelope.make("id-30", execution: "exec-2", at: 1_790_000_000_030)])
        #expect(outcome.duplicates == 30 && outcome.accepted == 1)
        #expect(try fixture.blockedEventIDCount() == 30 && fixture.recentEventIDCount() == 1)
        let replay = try fixture.store.replay(dryRun: true)
        #expect(replay.identical && replay.events == 31)
    }

    /// A version 4 store indexed every id at once (in event_ids then, event_id_blocks since
    /// version 7); version 5 adds the table and keeps finding the old ids.
    @Test func aVersion4StoreMigratesAndKeepsItsIDs() throws {
        let fixture = try StoreFixture { $0.recentEventIDsLimit = 1 }  // every id moves at once, as version 4 wrote it
        try fixture.append([Envelope.make("old-1", execution: "a"), Envelope.make("old-2", execution: "a", at: 1_790_000_001_000)])
        #expect(try fixture.blockedEventIDCount() == 2 && fixture.recentEventIDCount() == 0)
        try fixture.withDatabase { db in
            try db.execute(sql: """
                DROP TABLE event_ids_recent;
                DELETE FROM grdb_migrations WHERE identifier LIKE 'v5:%';
                """)
        }
        let migrated = try StoreFixture.reopen(fixture)
        let outcome = try migrated.append(IngestBatch(items: StoreFixture.items(
            [Envelope.make("old-2", execution: "a", at: 1_790_000_001_000), Envelope.make("new-1", execution: "a", at: 1_790_000_002_000)])))
        #expect(outcome.duplicates == 1 && outcome.accepted == 1)
        #expect(try fixture.blockedEventIDCount() == 2 && fixture.recentEventIDCount() == 1)
        #expect(try migrated.replay().identical)
    }
}
