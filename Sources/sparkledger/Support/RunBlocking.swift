import Dispatch
import Synchronization

/// Runs async work from a synchronous command and waits for it on the calling thread (the main
/// thread, which is not one of the cooperative pool's).
func runBlocking(_ body: @escaping @Sendable () async throws -> Void) throws {
    let outcome = Mutex<Result<Void, Error>?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task {
        let result = await Result(catching: body)
        outcome.withLock { $0 = result }
        done.signal()
    }
    done.wait()
    try outcome.withLock { $0 }?.get()
}

extension Result where Failure == Error {
    init(catching body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}
