import GRDB
import SparkLedgerCore

/// What the writer remembers between transactions so that it need not read back what it just
/// wrote: recently written executions, and which ids the store already holds.
///
/// Valid only while this connection is the database's only writer. Each transaction compares
/// `PRAGMA data_version` with the value after our last commit and forgets everything when
/// another connection (another process) has written in between.
struct WriterState {
    /// What a committed transaction adds to the writer's state.
    struct Additions {
        /// The snapshots it wrote, in the order written: by key (`WriteSession.finish`).
        var written: [StoredExecution] = []
        /// The event ids it indexed, sorted by hash.
        var eventIDs: [NewEventIndex.Entry] = []
        /// Whether it moved `event_ids_recent` (its own ids included) into `event_id_blocks`.
        var movedRecentEventIDs = false
        /// The `KnownHashes.executionIDHash` of the executions it added, sorted.
        var executionHashes: [Int64] = []
        /// The usage rows it recomputed, with their members.
        var usageRows: [DailyUsageKey: UsageRowMembers] = [:]
        /// The session's memory for the next session (its table of new event ids and its log
        /// rows' arrays; `written` goes back in once its snapshots have moved into the cache).
        var memory = SessionMemory()
    }

    /// Bounds memory: about this many executions are kept, the most recently written.
    let capacity: Int
    /// Executions written since `older` was set aside; looked up first.
    private var recent: [String: StoredExecution] = [:]
    /// The generation before `recent`: dropped whole when `recent` fills up, so that keeping
    /// the cache bounded costs no scan and no copy.
    private var older: [String: StoredExecution] = [:]
    /// The last session's memory, for the next (`takeSessionMemory`).
    private var spareMemory = SessionMemory()
    /// `PRAGMA data_version` seen after our last commit; nil when nothing is cached.
    var dataVersion: Int64?
    /// The store's event-id hashes and execution-id hashes, loaded on first use; nil until then
    /// or when too many.
    private(set) var knownEventIDs: KnownHashes?
    private(set) var knownExecutionIDs: KnownHashes?
    /// What `event_ids_recent` holds, loaded with the known hashes.
    private(set) var recentEventIDs = RecentEventIDs()
    private var knownHashesLoaded = false
    /// Usage rows' members (four to an execution kept above: a row has ~8 members, and a
    /// transaction recomputes rows of the days its executions were submitted on).
    private(set) var usageRows: UsageRowCache

    init(capacity: Int) {
        self.capacity = capacity
        usageRows = UsageRowCache(capacity: 4 * capacity)
    }

    func execution(_ executionID: String) -> StoredExecution? {
        recent[executionID] ?? older[executionID]
    }

    /// Reads the store's ids into memory, unless they are there already.
    mutating func loadKnownIDs(_ db: Database) throws {
        guard !knownHashesLoaded else { return }
        recentEventIDs = try RecentEventIDs(db)
        knownEventIDs = try KnownHashes.eventIDs(db, recent: recentEventIDs)
        knownExecutionIDs = try KnownHashes.executionIDs(db)
        knownHashesLoaded = true
    }

    /// Takes in what a committed transaction added. Consumed: its snapshots move into the cache.
    mutating func add(_ additions: consuming Additions) {
        // Taken out, so that `remember` owns the only reference and reorders it without a copy.
        var written: [StoredExecution] = []
        swap(&written, &additions.written)
        remember(&written)
        swap(&spareMemory, &additions.memory)
        // Kept up to the cache's size: a transaction that wrote more would hold its peak.
        spareMemory.written = written.capacity <= capacity ? written : []
        var usageRows: [DailyUsageKey: UsageRowMembers] = [:]
        swap(&usageRows, &additions.usageRows)
        self.usageRows.remember(usageRows)
        Self.merge(additions.eventIDs.map(\.hash), into: &knownEventIDs)
        Self.merge(additions.executionHashes, into: &knownExecutionIDs)
        if additions.movedRecentEventIDs {
            recentEventIDs.removeAll()
        } else {
            recentEventIDs.merge(additions.eventIDs)
        }
    }

    /// Merges in place (a copy would copy every hash); past `KnownHashes.capacity` the set is
    /// dropped and the writer asks the store instead.
    private static func merge(_ added: [Int64], into known: inout KnownHashes?) {
        known?.merge(added)
        if let count = known?.count, count > KnownHashes.capacity { known = nil }
    }

    /// The last session's memory, for the next session, which hands it back in its `Additions`.
    /// Taken before the session copies this state, so that it is not shared.
    mutating func takeSessionMemory() -> SessionMemory {
        var memory = SessionMemory()
        swap(&memory, &spareMemory)
        return memory
    }

    /// Remembers what a transaction wrote, in the order written (by key, so the newest executions,
    /// the likeliest to hear more, are remembered last and kept longest). Each snapshot moves
    /// into the cache; the array is left empty, its storage kept.
    private mutating func remember(_ executions: inout [StoredExecution]) {
        let generation = max(1, capacity / 2)
        // Made the size of a generation at once: grown by doubling, each step was new memory.
        if recent.capacity < generation { recent.reserveCapacity(generation) }
        if executions.count > 2 * generation {
            // Only the newest two generations would outlive the turnovers below: everything
            // cached now and the older executions would be inserted only to be dropped.
            recent.removeAll(keepingCapacity: true)
            older.removeAll(keepingCapacity: true)
            executions.removeFirst(executions.count - 2 * generation)
        }
        // Reversed through a buffer pointer, whose swaps move the elements: Array's own
        // `reverse()` copied each snapshot (a retain and a release of each of its strings).
        executions.withUnsafeMutableBufferPointer { $0.reverse() }
        while let execution = executions.popLast() {
            if recent.count >= generation {
                // The dropped generation's storage takes the new one: a new dictionary's pages
                // were each a page fault as it filled.
                swap(&recent, &older)
                recent.removeAll(keepingCapacity: true)
                if recent.capacity < generation { recent.reserveCapacity(generation) }
            }
            recent[execution.snapshot.executionID] = execution
        }
    }

    mutating func forgetEverything() {
        recent = [:]
        older = [:]
        spareMemory = SessionMemory()
        dataVersion = nil
        knownEventIDs = nil
        knownExecutionIDs = nil
        recentEventIDs = RecentEventIDs()
        knownHashesLoaded = false
        usageRows.removeAll()
    }
}
