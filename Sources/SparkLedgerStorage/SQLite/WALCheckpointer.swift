import Foundation
import GRDB
import Synchronization

/// Copies committed WAL frames into the database file on its own thread and connection, so that
/// a long ingest does not pay for checkpoints on the writer's thread.
///
/// While it runs, the writer's automatic checkpoints are off. A PASSIVE checkpoint never blocks
/// the writer; once the whole WAL has been copied, SQLite restarts it at the writer's next
/// transaction, so the WAL stays about two transactions long.
final class WALCheckpointer: Sendable {
    private let path: String
    private let requests = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let running = Atomic<Bool>(true)

    init(path: String) {
        self.path = path
    }

    func start() {
        let thread = Thread { [self] in
            defer { finished.signal() }
            do {
                var configuration = Configuration()
                configuration.busyMode = .timeout(5)
                let connection = try DatabaseQueue(path: path, configuration: configuration)
                while true {
                    requests.wait()
                    let stopping = !running.load(ordering: .acquiring)
                    try connection.writeWithoutTransaction { db in
                        _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)")
                    }
                    if stopping { return }
                }
            } catch {
                // Checkpoints are an optimisation: if this one cannot run (the file is busy or
                // gone), SQLite's own checkpoints catch up once automatic ones are back on.
            }
        }
        thread.name = "sparkledger-checkpointer"
        thread.start()
    }

    /// Asks for a checkpoint of everything committed so far (requests coalesce while one runs).
    func checkpointSoon() {
        requests.signal()
    }

    /// Runs a last checkpoint and waits for the thread to end.
    func stop() {
        running.store(false, ordering: .releasing)
        requests.signal()
        finished.wait()
    }
}
