/// Memory one write session fills and the next reuses, kept by the writer's state between
/// transactions and handed over emptied: the array of the snapshots it writes, the table of its
/// new event ids, and the arrays of its log rows. New ones each transaction were new memory, each
/// page of them a minor page fault (the twentieth round: a sixth of an ingest's faults).
struct SessionMemory {
    /// Empty, with room for the snapshots a transaction writes.
    var written: [StoredExecution] = []
    /// The last session's table of new event ids (not yet emptied); nil when there is none.
    var eventIndex: NewEventIndex?
    /// Emptied arrays for the log's rows (`LogBufferPool`).
    var logBuffers = LogBufferPool()

    /// An empty table for a session expecting `expected` events: the kept one, emptied, when it is
    /// large enough and not more than twice that, else a new one.
    mutating func takeEventIndex(expected: Int) -> NewEventIndex {
        if var index = eventIndex.take(), index.capacity >= expected, index.capacity <= 2 * max(expected, 16) {
            index.removeAll()
            return index
        }
        return NewEventIndex(expected: expected)
    }
}
