import Dispatch
import SparkLedgerStorage

/// The store as the HTTP handlers reach it: every read runs on a dispatch queue, off Swift's
/// cooperative pool (SQLite blocks), and `now` is the one clock the API uses (ages like `7d`).
public struct HistoryReader: Sendable {
    public let store: SQLiteEventStore
    public let now: @Sendable () -> Int64
    private let queue = DispatchQueue(label: "sparkledger.http.reads", attributes: .concurrent)

    public init(store: SQLiteEventStore, now: @escaping @Sendable () -> Int64 = StoreConfiguration.systemClock) {
        self.store = store
        self.now = now
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteEventStore) throws -> T) async throws -> T {
        let store = self.store
        return try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body(store) }) }
        }
    }
}
