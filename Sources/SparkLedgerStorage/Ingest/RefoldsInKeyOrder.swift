import SparkLedgerCore

/// A transaction's refolds handed to the writer one by one, in the order given (key order, the
/// order `WriteSession.finish` writes snapshots in), folded a chunk at a time on the refold
/// thread (`BackgroundRefold`) so that few executions' rows are held in memory. When the writer
/// asks for a chunk's first snapshot, the next chunk's rows are read and that chunk started, so
/// it folds while the writer writes the snapshots up to it.
struct RefoldsInKeyOrder {
    struct Refold {
        var key: Int64
        var executionID: String
    }

    private let refolds: [Refold]
    private let chunkSize: Int
    /// An execution's rows of the log, read on the writer's connection (they include what the
    /// transaction appended).
    private let rows: (Int64) throws -> [StoredEventReader.StoredGroup]
    private var running: BackgroundRefold
    /// Refolds started so far.
    private var started = 0
    private var folded: [ExecutionSnapshot] = []
    private var taken = 0

    init(_ refolds: [Refold], chunkSize: Int, rows: @escaping (Int64) throws -> [StoredEventReader.StoredGroup]) throws {
        self.refolds = refolds
        self.chunkSize = chunkSize
        self.rows = rows
        running = BackgroundRefold([])
        running = try startNextChunk()
    }

    /// The next refold's snapshot, moved out (call once per refold given).
    mutating func next() throws -> ExecutionSnapshot {
        if taken == folded.count {
            let current = running
            running = try startNextChunk()
            folded = try current.wait()
            taken = 0
        }
        var snapshot = ExecutionSnapshot(executionID: "")
        swap(&snapshot, &folded[taken])
        taken += 1
        return snapshot
    }

    private mutating func startNextChunk() throws -> BackgroundRefold {
        let chunk = refolds[started..<min(refolds.count, started + chunkSize)]
        started += chunk.count
        return BackgroundRefold(try chunk.map { refold in
            BackgroundRefold.Execution(key: refold.key, executionID: refold.executionID, groups: try rows(refold.key))
        })
    }
}
