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
                        let before = try ProjectionDigest.compute(db)
                        let total = try Int64.fetchOne(db, sql: "SELECT count(*) FROM events") ?? 0
                        try db.execute(sql: "DELETE FROM execution_metrics")
                        let executions = try rewriteSnapshots(db, prices: prices, total: total, progress: progress)
                        try DailyUsageProjection(db: db).rebuildAll()
                        let after = try ProjectionDigest.compute(db)
                        let usageRows = try Int64.fetchOne(db, sql: "SELECT count(*) FROM daily_usage") ?? 0
                        report = ReplayReport(events: total, executions: executions, usageRows: usageRows,
                                              digestBefore: before, digestAfter: after, committed: !dryRun)
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

    /// One execution's events, decoded by the reader thread.
    private struct ExecutionEvents: Sendable {
        var key: Int64
        var executionID: String
        var events: [ExecutionEvent]
    }

    private func rewriteSnapshots(_ db: Database, prices: PriceConfiguration, total: Int64,
                                  progress: (@Sendable (Int64, Int64) -> Void)?) throws -> Int64 {
        let queue = BoundedBlockingQueue<[ExecutionEvents]>(capacity: 8)
        let readerError = Mutex<(any Error)?>(nil)
        let readerDone = DispatchSemaphore(value: 0)
        let pool = self.pool
        let reader = Thread {
            defer {
                queue.close()
                readerDone.signal()
            }
            do {
                try pool.read { db in try Self.streamLog(db, into: queue) }
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
                let snapshot = ExecutionFold.fold(executionID: execution.executionID, events: execution.events)
                _ = try projector.update(snapshot, key: execution.key, indexedColumnsChanged: true, previousMetrics: nil)
                done += Int64(execution.events.count)
                executions += 1
            }
            progress?(done, total)
        }
        if let error = readerError.withLock({ $0 }) { throw error }
        return executions
    }

    /// Pushes the log grouped by execution (its clustering order: one sequential scan), in chunks
    /// of about a thousand events.
    private static func streamLog(_ db: Database, into queue: BoundedBlockingQueue<[ExecutionEvents]>) throws {
        let select = try RawStatement(db, """
            SELECT x.execution_key, x.execution_id, \(StoredEventReader.columns.split(separator: ",").map { "e." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", "))
            FROM events e JOIN executions x ON x.execution_key = e.execution_key ORDER BY e.execution_key, e.seq
            """)
        defer { select.reset() }
        var chunk: [ExecutionEvents] = []
        var chunkEvents = 0
        var current: ExecutionEvents?
        while try select.step() {
            let key = select.int64(0)
            if current?.key != key {
                if let finished = current {
                    chunk.append(finished)
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
        if let finished = current { chunk.append(finished) }
        if !chunk.isEmpty { queue.push(chunk) }
    }
}
