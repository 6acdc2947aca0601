import GRDB
import SparkLedgerCore

extension SQLiteEventStore {
    /// A job's runs submitted in [since, until), newest submit first, read through the
    /// (job_path, submit_time) index without the snapshots' other columns.
    public func jobRuns(jobPath: String, since: Int64?, until: Int64?) throws(StoreError) -> [JobRun] {
        try read { db in
            var conditions = SQLConditions()
            conditions.add(ExecutionFilter(jobPath: jobPath, submittedSince: since, submittedUntil: until))
            let select = try RawStatement(db, """
                SELECT x.execution_id, x.state, x.attempt, x.failure_kind, x.error_class, x.submit_time, x.start_time,
                       x.end_time, x.queue_ms, x.duration_ms, x.cost_usd, x.shuffle_read_bytes, x.shuffle_write_bytes,
                       x.spill_bytes, x.shuffle_fetch_failures
                FROM executions x \(conditions.whereClause) ORDER BY x.submit_time DESC, x.execution_key DESC
                """)
            defer { select.reset() }
            conditions.bind(to: select)
            var runs: [JobRun] = []
            while try select.step() {
                runs.append(JobRun(
                    executionID: select.string(0), state: ExecutionState(rawValue: select.string(1)) ?? .submitted,
                    attempt: select.int64(2), failureKind: select.optionalString(3).flatMap(FailureKind.init(rawValue:)),
                    errorClass: select.optionalString(4).flatMap(ErrorClass.init(rawValue:)), submitTime: select.optionalInt64(5),
                    startTime: select.optionalInt64(6), endTime: select.optionalInt64(7), queueMs: select.optionalInt64(8),
                    durationMs: select.optionalInt64(9), costUSD: select.optionalDouble(10), shuffleReadBytes: select.int64(11),
                    shuffleWriteBytes: select.int64(12), spillBytes: select.int64(13), shuffleFetchFailures: select.int64(14)))
            }
            return runs
        }
    }
}
