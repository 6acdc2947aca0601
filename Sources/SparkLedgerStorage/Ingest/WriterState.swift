/// What the writer remembers between transactions so that it need not read back what it just
/// wrote: recently written executions, and which ids the store already holds.
///
/// Valid only while this connection is the database's only writer. Each transaction compares
/// `PRAGMA data_version` with the value after our last commit and forgets everything when
/// another connection (another process) has written in between.
struct WriterState {
    /// Bounds memory: about this many executions are kept, the most recently written.
    let capacity: Int
    /// Executions written since `older` was set aside; looked up first.
    private var recent: [String: StoredExecution] = [:]
    /// The generation before `recent`: dropped whole when `recent` fills up, so that keeping
    /// the cache bounded costs no scan and no copy.
    private var older: [String: StoredExecution] = [:]
    /// `PRAGMA data_version` seen after our last commit; nil when nothing is cached.
    var dataVersion: Int64?
    /// The store's event-id hashes and execution-id hashes, loaded on first use; nil until then
    /// or when too many.
    var knownEventIDs: KnownHashes?
    var knownExecutionIDs: KnownHashes?
    /// What `event_ids_recent` holds, loaded with the known hashes.
    var recentEventIDs = RecentEventIDs()
    var knownHashesLoaded = false

    init(capacity: Int) {
        self.capacity = capacity
    }

    func execution(_ executionID: String) -> StoredExecution? {
        recent[executionID] ?? older[executionID]
    }

    /// Remembers what a transaction wrote, in the order written (ascending keys: the newest
    /// executions, the likeliest to hear more, are remembered last and kept longest). The array
    /// is consumed: each snapshot moves into the cache.
    mutating func remember(_ executions: consuming [StoredExecution]) {
        let generation = max(1, capacity / 2)
        executions.reverse()
        while let execution = executions.popLast() {
            if recent.count >= generation {
                older = recent
                recent = Dictionary(minimumCapacity: generation)
            }
            recent[execution.snapshot.executionID] = execution
        }
    }

    mutating func forgetEverything() {
        recent = [:]
        older = [:]
        dataVersion = nil
        knownEventIDs = nil
        knownExecutionIDs = nil
        recentEventIDs = RecentEventIDs()
        knownHashesLoaded = false
    }
}
