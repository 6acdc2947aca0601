import Foundation
import GRDB
import Synchronization

/// Copies committed WAL frames into the database file on its own thread and connection, so that
/// a long ingest does not pay for checkpoints on the writer's thread.
///
/// While it runs, the writer's automatic checkpoints are off. A PASSIVE checkpoint never blocks
/// the writer. SQLite restarts the WAL from its beginning only when a transaction starts after
/// a checkpoint copied all of it; a writer that streams transactions back to back always starts
/// the next one while this thread is still copying, so on its own the WAL would grow without
/// bound (30 GB for an 11-million-event ingest, measured). `truncate` bounds it.
final class WALCheckpointer: Sendable {
    private let path: String
    private let requests = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let running = Atomic<Bool>(true)

    init(path: String) {
        self.path = path
    }

    func start() {
        ThreadName.startThread(named: "sl-checkpointer") { [self] in
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
    }

    /// Asks for a checkpoint of everything committed so far (requests coalesce while one runs).
    func checkpointSoon() {
        requests.signal()
    }

    /// The WAL file's size in bytes (0 when there is none).
    static func walBytes(of path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? NSNumber)?.int64Value ?? 0
    }

    /// Copies what is left of the WAL and truncates it, on the writer's connection between
    /// transactions (no transaction can start meanwhile, so the WAL does restart). Waits, via
    /// the busy timeout, for a PASSIVE checkpoint this thread is running.
    static func truncate(_ db: Database) throws {
        _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
    }

    /// Runs a last checkpoint and waits for the thread to end.
    func stop() {
        running.store(false, ordering: .releasing)
        requests.signal()
        finished.wait()
    }
}
