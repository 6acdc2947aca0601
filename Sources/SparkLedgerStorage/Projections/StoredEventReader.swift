import GRDB
import SparkLedgerCore

/// Reads events back from the log (`event_groups`, `EventGroup` says how a row holds them). Rows
/// do not carry the execution_id (the log is keyed by execution_key), so callers pass it in: an
/// execution created in the current transaction has no `executions` row yet to join with.
struct StoredEventReader {
    private let groupHolding: RawStatement
    private let groupsOfExecution: RawStatement

    init(db: Database) throws {
        // Groups of one execution never interleave (each holds one transaction's events, and
        // seqs grow with transactions), so an event is in the last group starting at or before it.
        groupHolding = try RawStatement(db, """
            SELECT first_seq, events FROM event_groups WHERE execution_key = ?1 AND first_seq <= ?2
            ORDER BY first_seq DESC LIMIT 1
            """)
        groupsOfExecution = try RawStatement(db, "SELECT first_seq, events FROM event_groups WHERE execution_key = ?1 ORDER BY first_seq")
    }

    /// The event stored at (key, seq), its payload not parsed; nil when there is none.
    func logged(key: Int64, seq: Int64) throws -> EventGroup.Logged? {
        groupHolding.bind(1, key)
        groupHolding.bind(2, seq)
        defer { groupHolding.reset() }
        guard try groupHolding.step() else { return nil }
        return try Self.decode(groupHolding, column: 1, key: key, firstSeq: groupHolding.int64(0), seq: seq)
    }

    func event(key: Int64, seq: Int64, executionID: String) throws -> ExecutionEvent? {
        try logged(key: key, seq: seq)?.event(executionID: executionID)
    }

    /// One stored row of an execution's events, copied out of the statement.
    struct StoredGroup: Sendable {
        var firstSeq: Int64
        var events: [UInt8]
    }

    /// All events of one execution, in fold order.
    func events(ofExecutionKey key: Int64, executionID: String) throws -> [ExecutionEvent] {
        try Self.events(of: try groups(ofExecutionKey: key), key: key, executionID: executionID)
    }

    /// The rows holding one execution's events, undecoded: decoding them and parsing their
    /// payloads needs no connection, so the writer hands that to another thread (`BackgroundRefold`).
    func groups(ofExecutionKey key: Int64) throws -> [StoredGroup] {
        groupsOfExecution.bind(1, key)
        defer { groupsOfExecution.reset() }
        var groups: [StoredGroup] = []
        while try groupsOfExecution.step() {
            groups.append(StoredGroup(firstSeq: groupsOfExecution.int64(0), events: groupsOfExecution.blob(1)))
        }
        return groups
    }

    /// The events of an execution's rows, in fold order. `recent` (the caller thread's) hands
    /// out payloads that earlier events with the same stored text decoded to.
    static func events(of groups: [StoredGroup], key: Int64, executionID: String, recent: RecentPayloads? = nil) throws -> [ExecutionEvent] {
        var events = try eventsInLogOrder(of: groups, key: key, executionID: executionID, recent: recent)
        events.sort(by: ExecutionEvent.foldOrder)
        return events
    }

    /// The events of an execution's rows in the order the log holds them: usually fold order
    /// (events arrive in it), which `ExecutionFold.fold` checks before it sorts.
    static func eventsInLogOrder(of groups: [StoredGroup], key: Int64, executionID: String,
                                 recent: RecentPayloads? = nil) throws -> [ExecutionEvent] {
        var events: [ExecutionEvent] = []
        for group in groups {
            let logged = try damage(key: key, firstSeq: group.firstSeq) { () throws(EventGroup.FormatError) in
                try group.events.withUnsafeBufferPointer { bytes throws(EventGroup.FormatError) in try EventGroup.decode(bytes) }
            }
            for event in logged {
                events.append(try event.event(executionID: executionID, recent: recent))
            }
        }
        return events
    }

    /// The events of the group in `column` of the current row, read in place.
    static func decode(_ row: RawStatement, column: Int32, key: Int64, firstSeq: Int64) throws -> [EventGroup.Logged] {
        try damage(key: key, firstSeq: firstSeq) { () throws(EventGroup.FormatError) in
            try row.withBytes(column) { bytes throws(EventGroup.FormatError) in try EventGroup.decode(bytes) }
        }
    }

    /// The event with `seq` of the group in `column` of the current row; nil when it holds none.
    static func decode(_ row: RawStatement, column: Int32, key: Int64, firstSeq: Int64, seq: Int64) throws -> EventGroup.Logged? {
        try damage(key: key, firstSeq: firstSeq) { () throws(EventGroup.FormatError) in
            try row.withBytes(column) { bytes throws(EventGroup.FormatError) in try EventGroup.decode(bytes, seq: seq) }
        }
    }

    /// A row the log cannot read is a damaged database: the error names the row.
    private static func damage<T>(key: Int64, firstSeq: Int64, _ body: () throws(EventGroup.FormatError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "event_groups row (execution_key \(key), first_seq \(firstSeq)) is damaged: \(error)")
        }
    }
}
