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
    /// this writer holds the lock, so it is exactly the log being replayed) and decodes events,
    /// while this thread folds and rewrites: the two cores work in parallel.
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
                        let before = Self.inBackground(named: "sparkledger-replay-digest") {
                            try pool.read { try ProjectionDigest.compute($0) }
                        }
                        defer { _ = try? before() }  // never leave it running behind an error
                        let total = try Int64.fetchOne(db, sql: "SELECT count(*) FROM events") ?? 0
                        try db.execute(sql: "DELETE FROM execution_metrics")
                        let rewritten = try rewriteSnapshots(db, prices: prices, total: total, progress: progress)
                        let executions = rewritten.executions
                        if let contributions = rewritten.contributions {
                            try DailyUsageProjection(db: db).rebuild(from: contributions)
                        } else {
                            try DailyUsageProjection(db: db).rebuildAll()
                        }
                        let after = try ProjectionDigest.compute(db)
                        let usageRows = try Int64.fetchOne(db, sql: "SELECT count(*) FROM daily_usage") ?? 0
                        report = ReplayReport(events: total, executions: executions, usageRows: usageRows,
                                              digestBefore: try before(), digestAfter: after, committed: !dryRun)
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
        let thread = Thread {
            let outcome = Result { try body() }
            result.withLock { $0 = outcome }
            done.signal()
        }
        thread.name = name
        thread.start()
        return {
            done.wait()
            done.signal()  // for the next caller
            return try result.withLock { $0! }.get()
        }
    }

    /// One execution's events, decoded by the reader thread.
    private struct ExecutionEvents {
        var key: Int64
        var executionID: String
        var events: [ExecutionEvent]
    }

    /// One execution folded from its events by the reader thread, for this thread to write.
    private struct FoldedExecution: Sendable {
        var key: Int64
        var snapshot: ExecutionSnapshot
        var contribution: UsageContribution?
        var events: Int
    }


    /// Rewrites every snapshot from the log; returns how many, and each one's usage contribution
    /// by execution id unless there are more than `StoreConfiguration.replayUsageInMemoryLimit`.
    private func rewriteSnapshots(_ db: Database, prices: PriceConfiguration, total: Int64,
                                  progress: (@Sendable (Int64, Int64) -> Void)?) throws
        -> (executions: Int64, contributions: [DailyUsageProjection.IdentifiedContribution]?) {
        let stored = try Int.fetchOne(db, sql: "SELECT count(*) FROM executions") ?? 0
        var contributions: [DailyUsageProjection.IdentifiedContribution]? = stored <= configuration.replayUsageInMemoryLimit ? [] : nil
        contributions?.reserveCapacity(stored)
        let queue = BoundedBlockingQueue<[FoldedExecution]>(capacity: 8)
        let readerError = Mutex<(any Error)?>(nil)
        let readerDone = DispatchSemaphore(value: 0)
        let pool = self.pool
        let reader = Thread {
            defer {
                queue.close()
                readerDone.signal()
            }
            do {
                try pool.read { db in try Self.streamLog(db, prices: prices, into: queue) }
            } catch {
                readerError.withLock { $0 = error }
            }
        }
        reader.name = "sparkledger-replay-reader"
        reader.start()
        defer {
            queue.close()  // unblocks the reader if we stop early
            readerDone.wait()
        }
        let projector = try ExecutionProjector(db: db, prices: prices)
        var done: Int64 = 0
        var executions: Int64 = 0
        while let chunk = queue.pop() {
            for execution in chunk {
                _ = try projector.update(execution.snapshot, key: execution.key, indexedColumnsChanged: true, previousMetrics: nil)
                if let contribution = execution.contribution {
                    contributions?.append((execution.snapshot.executionID, contribution))
                }
                done += Int64(execution.events)
                executions += 1
            }
            progress?(done, total)
        }
        if let error = readerError.withLock({ $0 }) { throw error }
        return (executions, contributions)
    }

    private static func fold(_ execution: ExecutionEvents, prices: PriceConfiguration) -> FoldedExecution {
        let snapshot = ExecutionFold.fold(executionID: execution.executionID, events: execution.events)
        return FoldedExecution(key: execution.key, snapshot: snapshot, contribution: UsageContribution(snapshot: snapshot, prices: prices),
                               events: execution.events.count)
    }

    /// Pushes the log's executions, folded, in chunks of about a thousand events. The log is read
    /// grouped by execution (its clustering order: one sequential scan); decoding and folding
    /// happen here, so the writing thread only writes.
    private static func streamLog(_ db: Database, prices: PriceConfiguration, into queue: BoundedBlockingQueue<[FoldedExecution]>) throws {
        let select = try RawStatement(db, """
            SELECT x.execution_key, x.execution_id, \(StoredEventReader.columns.split(separator: ",").map { "e." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", "))
            FROM events e JOIN executions x ON x.execution_key = e.execution_key ORDER BY e.execution_key, e.seq
            """)
        defer { select.reset() }
        var chunk: [FoldedExecution] = []
        var chunkEvents = 0
        var current: ExecutionEvents?
        while try select.step() {
            let key = select.int64(0)
            if current?.key != key {
                if let finished = current {
                    chunk.append(fold(finished, prices: prices))
                    if chunkEvents >= 1000 {
                        guard queue.push(chunk) else { return }
                        chunk = []
                        chunkEvents = 0
                    }
                }
                current = ExecutionEvents(key: key, executionID: select.string(1), events: [])
            }
            let executionID = current?.executionID ?? ""
            current?.events.append(try StoredEventReader.decode(select, executionID: executionID, from: 2).event)
            chunkEvents += 1
        }
        if let finished = current { chunk.append(fold(finished, prices: prices)) }
        if !chunk.isEmpty { queue.push(chunk) }
    }
}
