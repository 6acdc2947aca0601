import Dispatch

extension DispatchQueue {
    /// Runs blocking work (a librdkafka poll, an SQLite transaction) on this queue, off Swift's
    /// cooperative thread pool, and resumes the caller with its result.
    public func performBlocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            self.async { continuation.resume(with: Result { try body() }) }
        }
    }
}
