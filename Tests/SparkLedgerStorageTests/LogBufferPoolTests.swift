@testable import SparkLedgerStorage
import SparkLedgerCore
import Testing

/// The written log rows' arrays kept for the next rows (`LogBufferPool`): a row started in one
/// holds only its own events, and the pool keeps only emptied arrays, within its bounds.
@Suite struct LogBufferPoolTests {
    @Test func aRowStartedInAReusedArrayHoldsOnlyItsOwnEvents() throws {
        let events = [
            try EventGroupTests.event("a", type: .submit, at: 1_790_000_000_000, payload: #"{"job_path":"a/b","team":"ads"}"#),
            try EventGroupTests.event("b", at: 1_790_000_000_001, payload: #"{"operator_state":"Running"}"#),
        ]
        var stale = Array(#"[[1,"stale","STATE",1,"operator",1,2,0,{},null]"#.utf8)
        stale.reserveCapacity(4_096)
        var reused = EventGroup.Pending(reusing: stale)
        var fresh = EventGroup.Pending()
        #expect(reused.isEmpty && reused.hasStorage && !fresh.hasStorage)
        for (index, event) in events.enumerated() {
            reused.append(event, seq: 5 + Int64(index))
            fresh.append(event, seq: 5 + Int64(index))
        }
        #expect(try reused.decoded() == fresh.decoded())
        #expect(reused.take().events == fresh.take().events)
    }

    @Test func itKeepsOnlyEmptiedArraysWithinItsBounds() {
        var pool = LogBufferPool()
        #expect(pool.take() == nil)

        var emptied = [UInt8](repeating: 1, count: 2_000)
        emptied.removeAll(keepingCapacity: true)
        pool.give(emptied)
        pool.give([UInt8](repeating: 1, count: 10))  // not emptied: a row's bytes would leak into another
        pool.give([])  // no storage to keep
        var huge = [UInt8](repeating: 1, count: LogBufferPool.maximumCapacity + 1)
        huge.removeAll(keepingCapacity: true)
        pool.give(huge)  // past the largest worth keeping
        #expect(pool.count == 1)
        let taken = pool.take()
        #expect(taken?.isEmpty == true && (taken?.capacity ?? 0) >= 2_000)
        #expect(pool.take() == nil)

        for _ in 0...LogBufferPool.maximumCount {
            var buffer = [UInt8](repeating: 0, count: 64)
            buffer.removeAll(keepingCapacity: true)
            pool.give(buffer)
        }
        #expect(pool.count == LogBufferPool.maximumCount)
    }
}
