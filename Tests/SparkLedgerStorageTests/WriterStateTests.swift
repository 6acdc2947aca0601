@testable import SparkLedgerStorage
import SparkLedgerCore
import Testing

/// What the writer's state keeps from one transaction for the next: the memory of the rows
/// written, of the table of new event ids and of the log's rows, handed back empty.
@Suite struct WriterStateTests {
    @Test func theNextSessionGetsTheLastOnesMemoryBackEmpty() {
        var state = WriterState(capacity: 100)
        var additions = WriterState.Additions()
        additions.written = (0..<40).map { StoredExecution(key: Int64($0), snapshot: ExecutionSnapshot(executionID: "exec-\($0)"), costUSD: nil) }
        // Grown past what it was made for, so that it is told from a new table by its room.
        var index = NewEventIndex(expected: 64)
        for seq in 1...100 { index.insert(Int64(seq) &* 0x2545_F491_4F6C_DD1D, key: 1, seq: Int64(seq)) }
        #expect(index.capacity == 2 * NewEventIndex(expected: 64).capacity)
        additions.memory.eventIndex = index
        var row = [UInt8](repeating: 1, count: 3_000)
        row.removeAll(keepingCapacity: true)
        additions.memory.logBuffers.give(row)
        state.add(additions)

        // The snapshots went into the cache; their array, the table and the log rows' arrays come back empty.
        var memory = state.takeSessionMemory()
        #expect(memory.logBuffers.count == 1 && (memory.logBuffers.take()?.capacity ?? 0) >= 3_000)
        var again = state.takeSessionMemory()
        #expect(again.logBuffers.count == 0)
        #expect(state.execution("exec-39")?.key == 39)
        let written = memory.written
        #expect(written.isEmpty && written.capacity >= 40)
        let reused = memory.takeEventIndex(expected: 64)
        #expect(reused.isEmpty && reused.capacity == index.capacity)
        #expect((1...100).allSatisfy { reused[Int64($0) &* 0x2545_F491_4F6C_DD1D] == nil })

        // Taken once: asked again, the state has nothing kept.
        #expect(again.written.capacity == 0)
        #expect(again.takeEventIndex(expected: 64).capacity == NewEventIndex(expected: 64).capacity)
    }

    @Test func aTableTooSmallOrTooLargeForTheSessionIsNotReused() {
        for (kept, expected) in [(16, 1_000), (10_000, 16)] {
            var state = WriterState(capacity: 100)
            var additions = WriterState.Additions()
            additions.memory.eventIndex = NewEventIndex(expected: kept)
            state.add(additions)
            var memory = state.takeSessionMemory()
            let index = memory.takeEventIndex(expected: expected)
            #expect(index.capacity == NewEventIndex(expected: expected).capacity)
        }
    }

    @Test func forgettingEverythingDropsTheKeptMemory() {
        var state = WriterState(capacity: 100)
        var additions = WriterState.Additions()
        additions.written = [StoredExecution(key: 1, snapshot: ExecutionSnapshot(executionID: "exec-1"), costUSD: nil)]
        var index = NewEventIndex(expected: 64)
        for seq in 1...100 { index.insert(Int64(seq), key: 1, seq: Int64(seq)) }
        additions.memory.eventIndex = index
        var row = [UInt8](repeating: 1, count: 100)
        row.removeAll(keepingCapacity: true)
        additions.memory.logBuffers.give(row)
        state.add(additions)
        state.forgetEverything()
        var memory = state.takeSessionMemory()
        #expect(memory.logBuffers.count == 0)
        #expect(memory.written.capacity == 0)
        #expect(memory.takeEventIndex(expected: 64).capacity == NewEventIndex(expected: 64).capacity)
        #expect(state.execution("exec-1") == nil)
    }
}
