import Foundation
import GRDB
import SparkLedgerCore
import Synchronization

/// What `replay` found.
public struct ReplayReport: Sendable, Equatable {
    public var events: Int64
    public var executions: Int64
    public var usageRows: Int64
    public var digestBefore: String
    public var digestAfter: String
    /// False for a dry run: the rebuilt projections were compared, then rolled back.
    public var committed: Bool

    /// The projections rebuilt from the log alone equal what was stored.
    public var identical: Bool { digestBefore == digestAfter }
}

extension SQLiteEventStore {
    /// Rebuilds every projection (snapshots, daily usage) from the log alone, in one transaction,
    /// and reports whether the result is bit-identical to what was stored.
    ///
    /// A reader connection streams the log in execution order from its own snapshot (taken after
    /// this writer holds the lock, so it is exactly the log being replayed), two threads decode
    /// and fold it, and this thread rewrites the snapshots and digests them as it goes: both
    /// cores work throughout (`rewriteSnapshots`).
    public func replay(dryRun: Bool = false, progress: (@Sendable (_ done: Int64, _ total: Int64) -> Void)? = nil) throws(StoreError) -> ReplayReport {
        let prices = configuration.prices
        do {
            return try pool.writeWithoutTransaction { db in
                try writer.withLock { state in
                    state.forgetEverything()
                    var report: ReplayReport?
                    try db.inTransaction(.immediate) {
                        // The digest of what is stored, on a reader connection meanwhile: until
                        // this transaction commits, readers see exactly the projections it replaces.
                        let pool = self.pool
                        let before = Self.inBackground(named: "sl-digest") {
                            try pool.read { try ProjectionDigest.compute($0) }
                        }
                        defer { _ = try? before() }  // never leave it running behind an error
                        // Every event has one entry in event_id_blocks or event_ids_recent (both
                        // packed) or event_id_collisions: counting those reads a few MB instead of
                        // the whole log.
                        let total = try Int64.fetchOne(db, sql: """
                            SELECT (\(EventIDBlocks.countSQL)) + (SELECT count(*) FROM event_id_collisions)
                                + (SELECT coalesce(sum(length(entries)), 0) / \(PackedEventIDs.entryBytes) FROM event_ids_recent)
                            """) ?? 0
                        // Metrics rows are rewritten only where they differ (below); rows of no
                        // execution cannot come from the log.
                        try db.execute(sql: "DELETE FROM execution_metrics WHERE execution_key NOT IN (SELECT execution_key FROM executions)")
                        // The digest of the result, added up as the snapshots are rewritten.
                        var after = try ProjectionDigest(db)
                        let rewritten = try rewriteSnapshots(db, prices: prices, total: total, digest: &after, progress: progress)
                        let executions = rewritten.executions
                        if let contributions = rewritten.contributions {
                            try DailyUsageProjection(db: db).rebuild(from: contributions)
                        } else {
                            try DailyUsageProjection(db: db).rebuildAll()
                        }
                        let usageRows = try Int64.fetchOne(db, sql: "SELECT count(*) FROM daily_usage") ?? 0
                        report = ReplayReport(events: total, executions: executions, usageRows: usageRows,
                                              digestBefore: try before(), digestAfter: try after.finish(db), committed: !dryRun)
                        return dryRun ? .rollback : .commit
                    }
                    guard let report else {
                        throw DatabaseError(resultCode: .SQLITE_ERROR, message: "replay produced no report")
                    }
                    return report
                }
            }
        } catch {
            throw StoreError.translating(error, path: path, while: "replaying")
        }
    }

    /// Starts `body` on a thread of its own; the returned function waits for its result (and
    /// may be called again: later calls return at once).
    private static func inBackground<T: Sendable>(named name: String, _ body: @escaping @Sendable () throws -> T) -> () throws -> T {
        let result = Mutex<Result<T, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        ThreadName.startThread(named: name) {
            let outcome = Result { try body() }
            result.withLock { $0 = outcome }
            done.signal()
        }
        return {
            done.wait()
            done.signal()  // for the next caller
            return try result.withLock { $0! }.get()
        }
    }

    /// One execution's rows of the log as the reader thread found them, with what is stored of it.
    private struct LoggedExecution: Sendable {
        var key: Int64
        var executionID: String
        var groups: [StoredEventReader.StoredGroup]
        var eventCount: Int
        var stored: ExecutionProjector.StoredColumns
    }

    /// One execution folded anew from its events.
    private struct ReplayedExecution: Sendable {
        var key: Int64
        var snapshot: ExecutionSnapshot
        var eventCount: Int
        var stored: ExecutionProjector.StoredColumns

        /// Decodes the events (parsing each payload) and folds them: pure work, done off the
        /// writer's thread.
        init(_ logged: LoggedExecution, recent: RecentPayloads) throws {
            let events = try StoredEventReader.eventsInLogOrder(of: logged.groups, key: logged.key, executionID: logged.executionID,
                                                                recent: recent)
            key = logged.key
            snapshot = ExecutionFold.fold(executionID: logged.executionID, events: events)
            eventCount = logged.eventCount
            stored = logged.stored
        }
    }

    /// Threads that decode and fold the log's executions while this one writes: decoding is
    /// most of a replay's work, more than one core's share of it.
    private static let foldingThreads = 2

    /// Rewrites every snapshot from the log; returns how many, and each one's usage contribution
    /// by execution id unless there are more than `StoreConfiguration.replayUsageInMemoryLimit`.
    ///
    /// Three stages run at once: a reader connection steps through the log and the stored
    /// executions in key order (`streamLog`), `foldingThreads` threads decode and fold chunks
    /// of executions, and this thread writes the snapshots in the reader's order. After each
    /// chunk it adds the rows it wrote, read back, to `digest`: nothing later changes them.
    private func rewriteSnapshots(_ db: Database, prices: PriceConfiguration, total: Int64, digest: inout ProjectionDigest,
                                  progress: (@Sendable (Int64, Int64) -> Void)?) throws
        -> (executions: Int64, contributions: [DailyUsageProjection.IdentifiedContribution]?) {
        let stored = try Int.fetchOne(db, sql: "SELECT count(*) FROM executions") ?? 0
        var contributions: [DailyUsageProjection.IdentifiedContribution]? = stored <= configuration.replayUsageInMemoryLimit ? [] : nil
        contributions?.reserveCapacity(stored)
        let folded = OrderedParallelMap<[LoggedExecution], [ReplayedExecution]>(
            threads: Self.foldingThreads, capacity: 8, name: "sl-fold"
        ) { chunk in
            // A chunk's own (a chunk is one thread's at a time): most payloads are a few dozen texts.
            let recent = RecentPayloads(slotCount: 256)
            return try chunk.map { try ReplayedExecution($0, recent: recent) }
        }
        let pool = self.pool
        let reader = Self.inBackground(named: "sl-replay-read") {
            defer { folded.finish() }
            try pool.read { db in try Self.streamLog(db, into: folded) }
        }
        defer {
            folded.cancel()  // unblocks the reader if we stop early
            _ = try? reader()
        }
        let projector = try ExecutionProjector(db: db, prices: prices)
        var done: Int64 = 0
        var executions: Int64 = 0
        while let chunk = try folded.next() {
            for execution in chunk {
                // Indexes and metrics rows are rewritten only where they differ from what is stored.
                let written = try projector.update(execution.snapshot, key: execution.key, replacing: execution.stored)
                if contributions != nil, let contribution = written.contribution {
                    contributions?.append((execution.snapshot.executionID, contribution))
                }
                done += Int64(execution.eventCount)
                executions += 1
            }
            if let last = chunk.last { try digest.addExecutions(through: last.key) }
            progress?(done, total)
        }
        try reader()  // the reader's error, if it had one
        return (executions, contributions)
    }

    /// Submits the log's executions, undecoded, in chunks of about a thousand events. Two scans
    /// move in step, both in execution-key order: the log's groups (through their index; an
    /// execution's groups are a few rows of ~10 events) and the executions with their stored
    /// metrics, read once each for the id and what the writer compares against.
    private static func streamLog(_ db: Database, into folded: OrderedParallelMap<[LoggedExecution], [ReplayedExecution]>) throws {
        let groups = try RawStatement(db, "SELECT execution_key, first_seq, event_count, events FROM event_groups ORDER BY execution_key, first_seq")
        defer { groups.reset() }
        let stored = try RawStatement(db, """
            SELECT x.execution_key, x.execution_id, x.job_path, x.team, x.submit_time, x.end_time, m.payload
            FROM executions x LEFT JOIN execution_metrics m ON m.execution_key = x.execution_key ORDER BY x.execution_key
            """)
        defer { stored.reset() }
        var storedKey: Int64 = .min
        var chunk: [LoggedExecution] = []
        var chunkEvents = 0
        var currentKey: Int64?
        /// nil while reading events of a key with no execution row (not replayed, as an inner
        /// join would have it; rows without events are not rewritten either).
        var current: LoggedExecution?
        while try groups.step() {
            let key = groups.int64(0)
            if key != currentKey {
                if let finished = current {
                    chunkEvents += finished.eventCount
                    chunk.append(finished)
                    if chunkEvents >= 1000 {
                        guard folded.submit(chunk) else { return }
                        chunk = []
                        chunkEvents = 0
                    }
                }
                currentKey = key
                // (Once the executions run out, never step again: SQLite would restart the scan.)
                while storedKey < key, storedKey != .max {
                    storedKey = try stored.step() ? stored.int64(0) : .max
                }
                current = storedKey != key ? nil : LoggedExecution(
                    key: key, executionID: stored.string(1), groups: [], eventCount: 0,
                    stored: ExecutionProjector.StoredColumns(jobPath: stored.optionalString(2), team: stored.optionalString(3), submitTime: stored.optionalInt64(4),
                                          endTime: stored.optionalInt64(5), metricsJSON: stored.optionalString(6)))
            }
            guard current != nil else { continue }
            current?.groups.append(StoredEventReader.StoredGroup(firstSeq: groups.int64(1), events: groups.blob(3)))
            current?.eventCount += Int(groups.int64(2))
        }
        if let finished = current { chunk.append(finished) }
        if !chunk.isEmpty { folded.submit(chunk) }
    }
}
