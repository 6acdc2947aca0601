import Foundation
import GRDB
import SparkLedgerCore
import Synchronization

/// The event store and its read models in one SQLite file (WAL): the append-only log, the
/// quarantine, execution snapshots, daily usage and ingest checkpoints.
///
/// One instance per file for the life of the process. Writes are serialized; reads run
/// concurrently with them on their own connections and see only committed batches.
public final class SQLiteEventStore: Sendable {
    public let configuration: StoreConfiguration
    let pool: DatabasePool
    let writer: Mutex<WriterState>

    public var path: String { configuration.path }

    /// The page size of a new database (an existing one keeps its own). Log rows are a few
    /// hundred bytes and arrive scattered over the executions' key range: 16 KiB pages split
    /// less often than SQLite's default 4 KiB, which made a million-event ingest ~14 % faster
    /// (docs/PERFORMANCE.md) and the file 7 % smaller.
    static let pageSize = 16_384

    public init(_ configuration: StoreConfiguration) throws(StoreError) {
        self.configuration = configuration
        self.writer = Mutex(WriterState(capacity: configuration.writerCacheCapacity))
        let path = configuration.path
        if configuration.readOnly {
            guard FileManager.default.fileExists(atPath: path) else {
                throw StoreError(.cannotOpen, "no database at \(path): run `sparkledger ingest --db \(path) FILE` first")
            }
        } else {
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw StoreError(.cannotOpen, "cannot create the directory \(directory) for database \(path): \(error.localizedDescription)")
            }
        }
        var grdb = Configuration()
        grdb.readonly = configuration.readOnly
        grdb.busyMode = .timeout(configuration.busyTimeoutSeconds)
        grdb.foreignKeysEnabled = false
        let synchronous = configuration.durability == .full ? "FULL" : "NORMAL"
        let cacheKiB = configuration.cacheMiB * 1024
        let maximumPageCount = configuration.maximumPageCount
        grdb.prepareDatabase { db in
            // secure_delete: Debian builds SQLite with it on, which zeroes every freed page and
            // cell; the projections rewrite rows all the time (SQLite's own default is off).
            try db.execute(sql: "PRAGMA page_size = \(Self.pageSize); PRAGMA synchronous = \(synchronous); PRAGMA cache_size = -\(cacheKiB); PRAGMA secure_delete = OFF")
            if let maximumPageCount { try db.execute(sql: "PRAGMA max_page_count = \(maximumPageCount)") }
        }
        do {
            pool = try DatabasePool(path: path, configuration: grdb)
        } catch {
            throw StoreError.translating(error, path: path, while: "opening")
        }
        try prepareSchema()
    }

    private func prepareSchema() throws(StoreError) {
        let migrator = StoreSchema.migrator()
        do {
            if configuration.readOnly {
                try pool.read { db in
                    guard try migrator.hasCompletedMigrations(db) else {
                        throw StoreError(.corrupt, "\(path) is not a SparkLedger database (or was written by an older version): open it once without read-only mode")
                    }
                }
            } else {
                let superseded = try pool.read { db in try migrator.hasBeenSuperseded(db) }
                if superseded {
                    throw StoreError(.newerSchema, "\(path) was written by a newer SparkLedger; upgrade to open it")
                }
                try migrator.migrate(pool)
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.translating(error, path: path, while: "preparing")
        }
    }

    // MARK: writing

    /// Applies a batch in one transaction: all of it or, on error, none of it.
    @discardableResult
    public func append(_ batch: IngestBatch) throws(StoreError) -> AppendOutcome {
        var outcome = AppendOutcome()
        var delivered = false
        try appendStream(next: {
            defer { delivered = true }
            return delivered ? nil : batch
        }, appended: { outcome = $0 })
        return outcome
    }

    /// Applies a stream of batches, several to a transaction: a transaction ends after
    /// `transactionRecords` records or `transactionSeconds`, whichever comes first, and when
    /// `next` returns nil. Large transactions amortise the commit and the rewrite of the event-id
    /// index; each one is still all or nothing. `appended` sees each batch's outcome once it is
    /// in the transaction; `committed` the number of records of each transaction once it is
    /// durable. A failure rolls the transaction in flight back and throws.
    public func appendStream(
        transactionRecords: Int = 100_000, transactionSeconds: Double = 2,
        next: () throws -> IngestBatch?, appended: (AppendOutcome) -> Void, committed: (Int) -> Void = { _ in }
    ) throws(StoreError) {
        let prices = configuration.prices
        let hash = configuration.eventIDHash
        let limits = WriteSession.Limits(recentEventIDs: configuration.recentEventIDsLimit, pendingLogBytes: configuration.pendingLogLimitBytes)
        let clock = configuration.clock
        let checkpointer = WALCheckpointer(path: path)
        let walLimit = configuration.walLimitBytes
        var checkpointing = false
        defer { if checkpointing { checkpointer.stop() } }
        do {
            try pool.writeWithoutTransaction { db in
                // Checkpoints move to the checkpointer's thread for the length of the stream.
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
                defer { try? db.execute(sql: "PRAGMA wal_autocheckpoint = 1000") }
                checkpointer.start()
                checkpointing = true
                try writer.withLock { state in
                    var finished = false
                    while !finished {
                        let started = ContinuousClock.now
                        let limit = Duration.milliseconds(Int64(transactionSeconds * 1000))
                        var session: WriteSession?
                        do {
                            try db.inTransaction(.immediate) {
                                // Checked under the write lock: a commit by another process (a
                                // second `serve` on the same file) since ours voids the cache.
                                if state.dataVersion != (try db.dataVersion()) { state.forgetEverything() }
                                try state.loadKnownIDs(db)
                                // Taken out of the state before the session copies it, so that it is not shared.
                                let memory = state.takeSessionMemory()
                                let current = try WriteSession(db: db, prices: prices, now: clock(), hash: hash, limits: limits, cache: state,
                                                               expectedRecords: min(transactionRecords, 1 << 17), memory: consume memory)
                                session = current
                                while current.records < transactionRecords && ContinuousClock.now - started < limit {
                                    guard let batch = try next() else {
                                        finished = true
                                        break
                                    }
                                    appended(try current.append(batch))
                                }
                                try current.finish()
                                return .commit
                            }
                        } catch {
                            state.forgetEverything()
                            throw error
                        }
                        if WALCheckpointer.walBytes(of: path) > walLimit {
                            try WALCheckpointer.truncate(db)
                        } else {
                            checkpointer.checkpointSoon()
                        }
                        // What the transaction held is free now; hand it back rather than let the
                        // allocator keep the high-water mark (the parser and writer threads allocate
                        // from different arenas).
                        MemoryRelease.releaseFreedMemory()
                        committed(session?.records ?? 0)
                        let additions = session?.takeAdditions() ?? WriterState.Additions()
                        // The session read the cache through a copy that shares its storage:
                        // changing the cache while that copy lives would copy it whole.
                        session = nil
                        // Consumed: `remember` reorders the only reference to what was written
                        // (a second one would copy every snapshot).
                        state.add(consume additions)
                        state.dataVersion = try db.dataVersion()
                    }
                }
            }
        } catch {
            throw StoreError.translating(error, path: path, while: "writing")
        }
    }

    /// Runs `body` on a reader connection and maps database errors to `StoreError`.
    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.translating(error, path: path, while: "reading")
        }
    }
}
