import Foundation
import GRDB
@testable import SparkLedgerStorage
import Testing

@Suite struct EventIDBlocksTests {
    private typealias Entry = NewEventIndex.Entry

    /// Sorted entries with distinct hashes that none of `taken` has.
    private static func randomEntries(_ count: Int, avoiding taken: Set<Int64>, using generator: inout SystemRandomNumberGenerator) -> [Entry] {
        var hashes = Set<Int64>()
        while hashes.count < count {
            let hash = Int64.random(in: .min ... .max, using: &generator)
            if !taken.contains(hash) { hashes.insert(hash) }
        }
        return hashes.sorted().map { Entry(hash: $0, key: Int64.random(in: 1...1_000, using: &generator), seq: Int64.random(in: 1...1_000_000, using: &generator)) }
    }

    private static func withBlocks<T>(_ body: (Database, EventIDBlocks) throws -> T) throws -> T {
        try DatabaseQueue().write { db in
            for statement in StoreSchema.version7 { try db.execute(sql: statement) }
            return try body(db, try EventIDBlocks(db))
        }
    }

    /// Every block: its first hash, and its entries' hashes.
    private static func blocks(_ db: Database) throws -> [(first: Int64, hashes: [Int64])] {
        try Row.fetchAll(db, sql: "SELECT first_hash, entries FROM event_id_blocks ORDER BY first_hash").map { row in
            (row[0], PackedEventIDs.unpack([UInt8](row[1] as Data)).map(\.hash))
        }
    }

    /// Rounds of additions of all sizes, below, among and above what is stored (both runs of an
    /// addition: the recent ids and a transaction's): every entry is found with its key and seq,
    /// nothing else is, and the blocks stay sorted, bounded and covering.
    @Test func additionsKeepEveryEntryFindableInSortedBoundedBlocks() throws {
        var generator = SystemRandomNumberGenerator()
        try Self.withBlocks { db, blocks in
            var expected: [Int64: (key: Int64, seq: Int64)] = [:]
            #expect(try blocks.lookup(0) == nil)
            let extremes = [Entry(hash: .min, key: 1, seq: 1), Entry(hash: .max, key: 3, seq: 3)]
            for (firstCount, secondCount) in [(0, 0), (1, 0), (0, 700), (1_500, 1_200), (3, 2), (0, 1), (6_000, 0), (0, 40)] {
                let both = Self.randomEntries(firstCount + secondCount, avoiding: Set(expected.keys), using: &generator)
                var first: [Entry] = []
                var second: [Entry] = []
                for entry in both { if first.count < firstCount && (second.count == secondCount || Bool.random(using: &generator)) { first.append(entry) } else { second.append(entry) } }
                try blocks.add(first, second)
                for entry in both { expected[entry.hash] = (entry.key, entry.seq) }

                let stored = try Self.blocks(db)
                #expect(stored.reduce(0) { $0 + $1.hashes.count } == expected.count)
                #expect(stored.allSatisfy { !$0.hashes.isEmpty && $0.hashes.count <= EventIDBlocks.blockCapacity && $0.hashes == $0.hashes.sorted() })
                #expect(stored.allSatisfy { $0.first == $0.hashes[0] })
                #expect(zip(stored, stored.dropFirst()).allSatisfy { $0.hashes.last! < $1.first })
                #expect(try expected.filter { hash, location in try blocks.lookup(hash).map { $0 != location } ?? true }.count == 0)
                let probes = (0..<2_000).map { _ in Int64.random(in: .min ... .max, using: &generator) } + [Int64.min + 1, -1, 0, 1, Int64.max - 1]
                #expect(try probes.filter { (try blocks.lookup($0) != nil) != (expected[$0] != nil) }.count == 0)
                var scanned: [Int64] = []
                try EventIDBlocks.forEachHash(db) { scanned.append($0) }
                #expect(scanned.count == expected.count && scanned == expected.keys.sorted())
                #expect(try Int.fetchOne(db, sql: EventIDBlocks.countSQL) == expected.count)
            }
            // The extremes of the key space: below and above every block.
            try blocks.add(extremes, [])
            #expect(try blocks.lookup(.min)! == (1, 1) && blocks.lookup(.max)! == (3, 3))
            #expect(try Self.blocks(db).first?.first == .min)
        }
    }

    @Test func rowsAreReplacedNeverUpdated() throws {
        try Self.withBlocks { db, blocks in
            try blocks.add([Entry(hash: 5, key: 1, seq: 1)], [])
            #expect(throws: DatabaseError.self) { try db.execute(sql: "UPDATE event_id_blocks SET entries = zeroblob(24)") }
            #expect(throws: DatabaseError.self) { try db.execute(sql: "DELETE FROM event_id_blocks") }
            try blocks.add([Entry(hash: 3, key: 1, seq: 2)], [Entry(hash: 7, key: 1, seq: 3)])  // replaces the row: deletes it in a move
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM event_id_block_moves") == 0)
            #expect(throws: DatabaseError.self) { try db.execute(sql: "DELETE FROM event_id_blocks") }
            #expect(try blocks.lookup(3)! == (1, 2) && blocks.lookup(5)! == (1, 1) && blocks.lookup(7)! == (1, 3))
            #expect(throws: DatabaseError.self) { try db.execute(sql: "INSERT INTO event_id_blocks VALUES (9, zeroblob(25))") }
            #expect(throws: DatabaseError.self) { try db.execute(sql: "INSERT INTO event_id_blocks VALUES (9, zeroblob(0))") }
        }
    }

    @Test func twoRunsAreReadAsOneInHashOrder() {
        var generator = SystemRandomNumberGenerator()
        let first = Self.randomEntries(300, avoiding: [], using: &generator)
        let second = Self.randomEntries(200, avoiding: Set(first.map(\.hash)), using: &generator)
        var merged = MergedEntries(first, second)
        #expect(merged.remaining == 500)
        var visited: [Int64] = []
        while let peeked = merged.peek() {
            #expect(merged.next()?.hash == peeked.hash)
            visited.append(peeked.hash)
        }
        #expect(visited == (first + second).map(\.hash).sorted() && merged.remaining == 0 && merged.next() == nil)
        var one = MergedEntries([], second)
        #expect(Array(sequence(state: 0) { _ in one.next()?.hash }) == second.map(\.hash))
    }
}
