/// What the writer remembers between transactions so that it need not read back what it just
/// wrote: recently touched executions.
///
/// Valid only while this connection is the database's only writer. Each transaction compares
/// `PRAGMA data_version` with the value after our last commit and forgets everything when
/// another connection (another process) has written in between.
struct WriterState {
    private struct Entry {
        var execution: StoredExecution
        var lastUsed: UInt64
    }

    /// Bounds memory: past this many executions, the least recently used half is forgotten.
    let capacity: Int
    private var entries: [String: Entry] = [:]
    private var clock: UInt64 = 0
    /// `PRAGMA data_version` seen after our last commit; nil when nothing is cached.
    var dataVersion: Int64?
    /// The store's event-id hashes, loaded on first use; nil until then or when too many.
    var knownHashes: KnownEventHashes?
    var knownHashesLoaded = false

    init(capacity: Int) {
        self.capacity = capacity
    }

    var count: Int { entries.count }

    func execution(_ executionID: String) -> StoredExecution? {
        entries[executionID]?.execution
    }

    /// Remembers what a transaction wrote. The array is consumed: each snapshot moves into the
    /// cache instead of being copied field by field.
    mutating func remember(_ executions: consuming [StoredExecution]) {
        entries.reserveCapacity(entries.count + executions.count)
        while let execution = executions.popLast() {
            clock &+= 1
            entries[execution.snapshot.executionID] = Entry(execution: execution, lastUsed: clock)
        }
    }

    mutating func forgetEverything() {
        entries.removeAll()
        dataVersion = nil
        knownHashes = nil
        knownHashesLoaded = false
    }

    /// Past capacity, forgets the least recently used half. `lastUsed` values are consecutive
    /// ticks of `clock`, so the cut-off needs no sort.
    mutating func trimToCapacity() {
        guard entries.count > capacity else { return }
        let threshold = clock &- UInt64(capacity / 2)
        entries = entries.filter { $0.value.lastUsed > threshold }
    }
}
