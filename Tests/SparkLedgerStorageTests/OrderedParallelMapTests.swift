import Foundation
@testable import SparkLedgerStorage
import Synchronization
import Testing

/// Work done on several threads comes back in the order it was submitted, errors included, and
/// a consumer that stops early never leaves its producer waiting.
@Suite struct OrderedParallelMapTests {
    private struct Refused: Error, Equatable {
        var item: Int
    }

    @Test func resultsComeBackInSubmissionOrder() throws {
        // Early items take longest, so the threads finish them last.
        let map = OrderedParallelMap<Int, String>(threads: 3, capacity: 4, name: "test-order") { item in
            usleep(UInt32(max(0, 40 - item) * 100))
            return "item \(item)"
        }
        let producer = Thread {
            for item in 0..<60 { map.submit(item) }
            map.finish()
        }
        producer.start()
        var results: [String] = []
        while let result = try map.next() { results.append(result) }
        map.join()
        #expect(results == (0..<60).map { "item \($0)" })
    }

    @Test func anErrorComesOutAtItsItemsPlace() throws {
        let map = OrderedParallelMap<Int, Int>(threads: 2, capacity: 3, name: "test-error") { item in
            if item == 5 { throw Refused(item: item) }
            return item * item
        }
        let producer = Thread {
            for item in 0..<10 where map.submit(item) {}
            map.finish()
        }
        producer.start()
        var results: [Int] = []
        #expect(throws: Refused(item: 5)) {
            while let result = try map.next() { results.append(result) }
        }
        #expect(results == [0, 1, 4, 9, 16])
        map.cancel()
    }

    @Test func cancellingReleasesAProducerWaitingForRoom() throws {
        let map = OrderedParallelMap<Int, Int>(threads: 2, capacity: 2, name: "test-cancel") { $0 }
        let refusedAt = Mutex<Int?>(nil)
        let producerDone = DispatchSemaphore(value: 0)
        let producer = Thread {
            for item in 0..<1_000 where !map.submit(item) {
                refusedAt.withLock { $0 = item }
                break
            }
            producerDone.signal()
        }
        producer.start()
        #expect(try map.next() == 0)
        // The producer fills the map and waits for room that the consumer will never make.
        usleep(50_000)
        map.cancel()
        #expect(producerDone.wait(timeout: .now() + 10) == .success)
        let refused = try #require(refusedAt.withLock { $0 })
        #expect(refused > 1 && refused < 10, "submitted up to item \(refused)")
    }
}
