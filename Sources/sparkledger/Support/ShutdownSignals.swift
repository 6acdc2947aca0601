import Dispatch
import Glibc
import Synchronization

/// SIGTERM and SIGINT for long-running commands, caught from the process's first instant.
///
/// `shared` is first touched in `main`, before any other thread exists: it blocks the two
/// signals (threads started later inherit that) and reads them through dispatch signal sources,
/// which use signalfd on Linux. A signal that arrives while the command is still starting waits
/// there until a handler is installed, instead of killing the process or being dropped.
final class ShutdownSignals: @unchecked Sendable {
    // @unchecked: `sources` is written once in init and only kept alive after.
    private var sources: [DispatchSourceSignal] = []
    private let state = Mutex<(received: Int32?, handler: (@Sendable (Int32) -> Void)?)>((nil, nil))

    static let shared = ShutdownSignals(signals: [SIGTERM, SIGINT])

    private init(signals: [Int32]) {
        var mask = sigset_t()
        sigemptyset(&mask)
        for number in signals { sigaddset(&mask, number) }
        pthread_sigmask(SIG_BLOCK, &mask, nil)
        sources = signals.map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.received(number) }
            source.resume()
            return source
        }
    }

    private func received(_ number: Int32) {
        let handler = state.withLock { state -> (@Sendable (Int32) -> Void)? in
            if state.received == nil { state.received = number }
            return state.handler
        }
        handler?(number)
    }

    /// Calls `handler` for every signal from now on, and at once for one that already arrived.
    func onSignal(_ handler: @escaping @Sendable (Int32) -> Void) {
        let pending = state.withLock { state -> Int32? in
            state.handler = handler
            return state.received
        }
        if let pending { handler(pending) }
    }

    static func name(_ number: Int32) -> String {
        number == SIGTERM ? "SIGTERM" : number == SIGINT ? "SIGINT" : "signal \(number)"
    }
}
