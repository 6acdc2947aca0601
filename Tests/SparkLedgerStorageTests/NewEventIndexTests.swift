@testable import SparkLedgerStorage
import Testing

@Suite struct NewEventIndexTests {
    /// Against a dictionary: growth well past the first size, the hash 0 (the empty-slot
    /// marker), hashes that share their top bits (one probe run), the largest hashes (their run
    /// wraps past the last slot to the first: `sortedByHash` must still put them last),
    /// overwrites, and misses.
    @Test func answersLikeADictionary() {
        var generator = SystemRandomNumberGenerator()
        var index = NewEventIndex(expected: 4)
        var expected: [Int64: (key: Int64, seq: Int64)] = [:]
        let colliding = (1...50).map { Int64($0) << 40 }  // same top bits: one probe run
        let largest = (1...50).map { Int64.max - Int64($0) }  // the last slot, and on round to the first
        let hashes = [0, -1, Int64.min, Int64.max] + colliding + largest
            + (0..<30_000).map { _ in Int64.random(in: .min ... .max, using: &generator) }
        for (seq, hash) in hashes.enumerated() {
            index.insert(hash, key: Int64(seq % 97), seq: Int64(seq))
            expected[hash] = (Int64(seq % 97), Int64(seq))
        }
        index.insert(colliding[7], key: 5, seq: 99_999)  // overwrite
        expected[colliding[7]] = (5, 99_999)

        #expect(index.count == expected.count)
        #expect(expected.filter { hash, location in index[hash].map { $0 != location } ?? true }.isEmpty)
        let misses = (0..<10_000).map { _ in Int64.random(in: .min ... .max, using: &generator) }.filter { expected[$0] == nil }
        #expect(misses.allSatisfy { index[$0] == nil })
        #expect(index[Int64(51) << 40] == nil)

        let sorted = index.sortedByHash()
        #expect(sorted.map(\.hash) == expected.keys.sorted())
        #expect(sorted.allSatisfy { entry in expected[entry.hash].map { $0 == (entry.key, entry.seq) } ?? false })
    }

    /// A table emptied for the next write session keeps its room and forgets every entry,
    /// the hash 0 included.
    @Test func anEmptiedIndexForgetsEverythingAndKeepsItsRoom() {
        var index = NewEventIndex(expected: 1_000)
        let hashes: [Int64] = [0] + (1...1_500).map { Int64($0) &* Int64(bitPattern: 0x9E37_79B9_7F4A_7C15) }  // past 1,000: it grows
        for (seq, hash) in hashes.enumerated() { index.insert(hash, key: 1, seq: Int64(seq)) }
        let room = index.capacity
        #expect(room >= 1_500 && index.count == hashes.count)

        index.removeAll()
        #expect(index.isEmpty && index.count == 0)
        #expect(index.capacity == room)
        #expect(hashes.allSatisfy { index[$0] == nil })
        #expect(index.sortedByHash().isEmpty)

        index.insert(hashes[7], key: 2, seq: 70)
        index.insert(0, key: 3, seq: 71)
        #expect(index[hashes[7]]! == (2, 70) && index[0]! == (3, 71) && index[hashes[8]] == nil)
        #expect(index.sortedByHash().map(\.seq) == [71, 70])
    }

    @Test func anEmptyIndexFindsNothing() {
        let index = NewEventIndex()
        #expect(index.isEmpty)
        #expect(index[0] == nil && index[42] == nil)
        #expect(index.sortedByHash().isEmpty)
    }
}
