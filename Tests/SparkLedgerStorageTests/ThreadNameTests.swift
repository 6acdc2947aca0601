import Foundation
@testable import SparkLedgerStorage
import Synchronization
import Testing

/// A thread's name reaches the operating system (what `top -H`, `perf` and the benchmark's
/// per-thread report read), cut to the 15 bytes Linux keeps.
@Suite struct ThreadNameTests {
    /// The name `/proc` shows for the calling thread.
    private static func osName() -> String? {
        (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8))?.trimmingCharacters(in: .newlines)
    }

    private static func nameSeen(afterSetting name: String) -> String? {
        let seen = Mutex<String?>(nil)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            ThreadName.setCurrent(name)
            seen.withLock { $0 = osName() }
            done.signal()
        }
        thread.start()
        done.wait()
        return seen.withLock { $0 }
    }

    @Test func aShortNameIsShownAsGiven() {
        #expect(Self.nameSeen(afterSetting: "sl-test") == "sl-test")
    }

    @Test func aLongNameIsCutToFifteenBytes() {
        #expect(Self.nameSeen(afterSetting: "sl-a-name-past-fifteen-bytes") == "sl-a-name-past-")
        #expect(ThreadName.maximumLength == 15)
    }

    /// The worker threads of an `OrderedParallelMap` (replay's folding threads) carry its name
    /// and their number.
    @Test func parallelMapWorkersAreNamed() throws {
        let map = OrderedParallelMap<Int, String>(threads: 2, capacity: 4, name: "sl-map") { _ in Self.osName() ?? "" }
        let producer = Thread {
            for item in 0..<20 { map.submit(item) }
            map.finish()
        }
        producer.start()
        var names: Set<String> = []
        while let name = try map.next() { names.insert(name) }
        map.join()
        #expect(!names.isEmpty && names.isSubset(of: ["sl-map-1", "sl-map-2"]))
    }
}
