import SparkLedgerCore

/// The executions a write session touches, as it holds them until `finish` writes them.
extension WriteSession {
    /// What `finish` needs to know of an execution as it was stored before this session.
    struct StoredVersion {
        var columns: ExecutionProjector.StoredColumns
        /// What it added to its usage row (nil when it counted in none).
        var contribution: UsageContribution?
    }

    /// An execution touched by this session. A class: it is updated in place many times.
    final class StagedExecution {
        let key: Int64
        let executionID: String
        /// `KnownHashes.executionIDHash(executionID)`, the key of `StagedExecutions`.
        let executionIDHash: Int64
        /// nil for a new execution.
        let original: StoredVersion?
        var snapshot: ExecutionSnapshot
        /// An event arrived that sorts before what was folded: fold from the log at `finish`.
        var needsRefold = false
        /// Events of the current batch, folded together once it is appended. Unretained: the
        /// batch holds them until `append` returns, and retaining each one was an atomic operation
        /// an event on an object the validating thread made, and another to release it.
        var arrived: [Unmanaged<ValidatedInput>] = []
        /// Events of this session not yet written to the log.
        var pendingLog = EventGroup.Pending()
        /// What it adds to its usage row as `finish` wrote it, until that row takes it.
        var writtenContribution: UsageContribution?

        init(key: Int64, executionID: String, executionIDHash: Int64, original: StoredVersion?, snapshot: ExecutionSnapshot) {
            self.key = key
            self.executionID = executionID
            self.executionIDHash = executionIDHash
            self.original = original
            self.snapshot = snapshot
        }

        /// `writtenContribution`, moved out (its row takes it once).
        func takeWrittenContribution() -> UsageContribution? {
            var taken: UsageContribution?
            swap(&taken, &writtenContribution)
            return taken
        }

        /// The snapshot, moved out; leaves an empty one behind (`finish` is done with it).
        func takeSnapshot() -> ExecutionSnapshot {
            var taken = ExecutionSnapshot(executionID: "")
            swap(&taken, &snapshot)
            return taken
        }
    }
}
