import GRDB
import SparkLedgerCore

extension SQLiteEventStore {
    /// A job's runs submitted in [since, until) as the sizing model reads them, oldest first.
    public func sizingRuns(jobPath: String, since: Int64? = nil, until: Int64? = nil) throws(StoreError) -> [SizingRun] {
        var runs: [SizingRun] = []
        try forEachExecution(ExecutionFilter(jobPath: jobPath, submittedSince: since, submittedUntil: until, newestFirst: false)) { execution in
            if let run = SizingRun(execution.snapshot) { runs.append(run) }
        }
        return runs
    }

    /// The log position of the last transaction that changed an execution of `jobPath`; nil
    /// when the job has none.
    public func jobVersion(_ jobPath: String) throws(StoreError) -> Int64? {
        try read { db in try Int64.fetchOne(db, sql: "SELECT version FROM job_versions WHERE job_path = ?", arguments: [jobPath]) }
    }

    /// Every job_path with executions, sorted.
    public func jobPaths() throws(StoreError) -> [String] {
        try read { db in try String.fetchAll(db, sql: "SELECT job_path FROM job_versions ORDER BY job_path") }
    }
}
