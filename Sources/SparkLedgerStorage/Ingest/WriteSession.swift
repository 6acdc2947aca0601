import GRDB
import SparkLedgerCore

/// One write transaction, fed one or more batches. Each batch's new events are gathered per
/// execution for the log (an `event_groups` row each, written once `Limits.pendingLogBytes` wait
/// and at `finish`) and folded into in-memory snapshots; `finish` then writes the touched
/// snapshots, recomputes their days' usage, indexes the new event ids (sorted by hash, so the
/// index is written front to back) and advances the log position and checkpoints. If anything
/// throws, the caller rolls back and none of it happened.
final class WriteSession {
    /// Where a stored event is.
    struct EventLocation {
        var key: Int64
        var seq: Int64
        var eventID: String
    }

    /// How much a session lets gather in memory before it writes it out.
    struct Limits {
        /// Event ids waiting in `event_ids_recent` before they move into `event_id_blocks`
        /// (`StoreConfiguration.recentEventIDsLimit`).
        var recentEventIDs: Int
        /// Bytes of events waiting for the log (`StoreConfiguration.pendingLogLimitBytes`).
        var pendingLogBytes: Int
    }

    private let db: Database
    private let prices: PriceConfiguration
    private let now: Int64
    /// nil: `ValidatedInput.eventIDHash` (`StoreConfiguration.eventIDHash`).
    private let hash: ((String) -> Int64)?
    private let limits: Limits
    private let cache: WriterState
    private let knownEventIDs: KnownHashes?
    private let knownExecutionIDs: KnownHashes?
    private let statements: SessionStatements

    private(set) var nextSeq: Int64 = 1
    private(set) var nextExecutionKey: Int64 = 1
    /// Event-id hash -> (execution key, seq) of the events this session appended. No event id:
    /// a hash hit is confirmed from the log, and hits are rare (duplicates).
    private var newEvents: NewEventIndex
    private var newCollisions: [String: EventLocation] = [:]
    private var staged: StagedExecutions
    /// `staged` by execution key, to find an event of this session that is not yet in the log.
    private var stagedByKey: [Int64: StagedExecution] = [:]
    /// Bytes waiting in the staged executions' `pendingLog`s.
    private var pendingLogBytes = 0
    /// Written rows' arrays, for the next rows (`LogBufferPool`); from the last session, and back
    /// to the writer's state in `takeAdditions`.
    private var logBuffers = LogBufferPool()
    /// `staged` in the order executions were first touched (keys ascend for new ones).
    private var stagedOrder: [StagedExecution] = []
    private var checkpoints: [String: IngestCheckpoint] = [:]
    /// Stored or staged next offsets of the Kafka partitions this session has seen.
    private var kafkaPositions: [String: Int64] = [:]
    /// The checkpoint source of the partition looked up last: a batch's records come in runs
    /// of one partition, and building the name for each record cost an allocation.
    private var lastKafkaSource: (topic: String, partition: Int32, source: String)?
    /// What `finish` wrote and indexed, for the writer's state once committed.
    private var additions = WriterState.Additions()
    /// Records (events and rejections) appended so far.
    private(set) var records = 0

    /// `expectedRecords` sizes the session's tables up front (growing them rehashes). `memory` is
    /// the last session's (`WriterState.takeSessionMemory`), handed back in `takeAdditions`.
    init(db: Database, prices: PriceConfiguration, now: Int64, hash: ((String) -> Int64)?, limits: Limits,
         cache: WriterState, expectedRecords: Int = 0, memory: consuming SessionMemory = SessionMemory()) throws {
        self.db = db
        self.prices = prices
        self.now = now
        self.hash = hash
        self.limits = limits
        self.cache = cache
        swap(&additions.written, &memory.written)
        swap(&logBuffers, &memory.logBuffers)
        self.knownEventIDs = cache.knownEventIDs
        self.knownExecutionIDs = cache.knownExecutionIDs
        newEvents = memory.takeEventIndex(expected: expectedRecords)
        staged = StagedExecutions(expected: expectedRecords / 4)
        statements = try SessionStatements(db, projector: ExecutionProjector(db: db, prices: prices), usage: DailyUsageProjection(db: db))
        let position = statements.readPosition
        defer { position.reset() }
        if try position.step() {
            nextSeq = position.int64(0)
            nextExecutionKey = position.int64(1)
        }
    }

    // MARK: appending

    func append(_ batch: IngestBatch) throws -> AppendOutcome {
        var outcome = AppendOutcome()
        records += batch.items.count
        var touched: [StagedExecution] = []
        for index in batch.items.indices {
            if case .kafka(let topic, let partition, let offset) = batch.items[index].origin, offset < (try kafkaPosition(topic, partition)) {
                // Applied before (this member re-read it after a rebalance or a crash): the
                // stored position is the proof, and applying it again would duplicate quarantine rows.
                outcome.alreadyApplied += 1
                continue
            }
            // The event is used unretained: the batch holds it for the whole call. Taking it out
            // of the item retained it and released it, two atomic operations an event on an
            // object the validating thread made (callgrind: `IngestItem` copies).
            if let event = batch.items[index].unretainedEvent {
                try event._withUnsafeGuaranteedRef { try append($0, to: &outcome, touching: &touched) }
            } else if case .rejected(let rejected) = batch.items[index] {
                try quarantine(rejected)
                outcome.quarantined[rejected.rejection.reason, default: 0] += 1
            }
        }
        for execution in touched {
            fold(execution)
        }
        if pendingLogBytes >= limits.pendingLogBytes { try writePendingLog() }
        outcome.executionsTouched = touched.count
        for var checkpoint in batch.checkpoints {
            if let stored = kafkaPositions[checkpoint.source] {
                // Kafka positions only move forward, whoever wrote them.
                checkpoint.position = max(checkpoint.position, stored)
                kafkaPositions[checkpoint.source] = checkpoint.position
            }
            checkpoints[checkpoint.source] = checkpoint
        }
        return outcome
    }

    /// One accepted event of `append`'s batch: a duplicate, a conflicting duplicate, or new (logged,
    /// indexed, and staged for its execution's fold).
    private func append(_ input: ValidatedInput, to outcome: inout AppendOutcome, touching touched: inout [StagedExecution]) throws {
        // Fields are read through `input`'s accessors: `input.event.eventID` copied the
        // whole event out of its object first (a retain and a release of each string).
        let eventHash = hash?(input.eventID) ?? input.eventIDHash
        switch try locate(input, hash: eventHash) {
        case .stored(let location):
            if try isSameContent(input.event, as: location) {
                outcome.duplicates += 1
            } else {
                try quarantine(Self.conflict(input, storedAs: location))
                outcome.quarantined[.conflictingDuplicate, default: 0] += 1
            }
        case .new(let slotTaken):
            let execution = try stagedExecution(of: input)
            let seq = nextSeq
            nextSeq += 1
            if !execution.pendingLog.hasStorage, let buffer = logBuffers.take() {
                execution.pendingLog = EventGroup.Pending(reusing: buffer)
            }
            pendingLogBytes += input.appendToLog(&execution.pendingLog, seq: seq)
            if slotTaken {
                newCollisions[input.eventID] = EventLocation(key: execution.key, seq: seq, eventID: input.eventID)
            } else {
                newEvents.insert(eventHash, key: execution.key, seq: seq)
            }
            if execution.arrived.isEmpty { touched.append(execution) }
            execution.arrived.append(Unmanaged.passUnretained(input))
            outcome.accepted += 1
            outcome.acceptedByKind.count(input.type, input.source)
        }
    }

    /// The next offset of a partition that the store has applied (0 when none).
    private func kafkaPosition(_ topic: String, _ partition: Int32) throws -> Int64 {
        let source: String
        if let last = lastKafkaSource, last.partition == partition, last.topic == topic {
            source = last.source
        } else {
            source = IngestCheckpoint.kafkaSource(topic: topic, partition: partition)
            lastKafkaSource = (topic, partition, source)
        }
        if let known = kafkaPositions[source] { return known }
        let select = statements.selectCheckpoint
        select.bind(1, source)
        defer { select.reset() }
        let position = try select.step() ? select.int64(0) : 0
        kafkaPositions[source] = position
        return position
    }

    private enum Lookup {
        case stored(EventLocation)
        /// Not stored; `slotTaken` when another id already owns its hash slot.
        case new(slotTaken: Bool)
    }

    /// Whether an event with this id is stored, by this session or before. Takes the input, not
    /// its event_id: most events need only the hash, and passing the id's String retained and
    /// released it, two atomic operations on the parser's memory an event (callgrind).
    private func locate(_ input: ValidatedInput, hash eventHash: Int64) throws -> Lookup {
        if !newCollisions.isEmpty, let mine = newCollisions[input.eventID] { return .stored(mine) }
        guard let owner = try lookupHash(eventHash) else { return .new(slotTaken: false) }
        if try storedEventID(at: owner) == input.eventID { return .stored(owner) }
        // The hash slot belongs to another id: this id, if stored, is among the collisions.
        let lookup = statements.lookupCollision
        lookup.bind(1, input.eventID)
        defer { lookup.reset() }
        if try lookup.step() {
            return .stored(EventLocation(key: lookup.int64(0), seq: lookup.int64(1), eventID: input.eventID))
        }
        return .new(slotTaken: true)
    }

    /// Same JSON value as the stored event (contract §4). Both sides are canonical; the
    /// execution_id is equal exactly when the execution keys are.
    private func isSameContent(_ event: ExecutionEvent, as location: EventLocation) throws -> Bool {
        guard try knownKey(event.executionID) == location.key,
              let stored = try loggedEvent(at: location)?.event(executionID: event.executionID) else {
            return false
        }
        return stored.hasSameContent(as: event)
    }

    /// The key of an execution this store already knows, without handing out a new one.
    private func knownKey(_ executionID: String) throws -> Int64? {
        if let staged = staged[executionID, hash: KnownHashes.executionIDHash(executionID)] { return staged.key }
        if let cached = cache.execution(executionID) { return cached.key }
        return try statements.executions.find(executionID)?.key
    }

    private func lookupHash(_ eventHash: Int64) throws -> EventLocation? {
        if let mine = newEvents[eventHash] { return EventLocation(key: mine.key, seq: mine.seq, eventID: "") }
        if knownEventIDs?.mayContain(eventHash) == false { return nil }
        if let recent = cache.recentEventIDs[eventHash] { return EventLocation(key: recent.key, seq: recent.seq, eventID: "") }
        guard let stored = try statements.eventIDBlocks.lookup(eventHash) else { return nil }
        return EventLocation(key: stored.key, seq: stored.seq, eventID: "")
    }

    private func storedEventID(at location: EventLocation) throws -> String {
        if !location.eventID.isEmpty { return location.eventID }
        guard let logged = try loggedEvent(at: location) else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "the event-id index names an event that is not in the log (\(location.key)/\(location.seq))")
        }
        return logged.eventID
    }

    /// The event at a location: waiting to be written by this session, or in the log.
    private func loggedEvent(at location: EventLocation) throws -> EventGroup.Logged? {
        if let execution = stagedByKey[location.key], !execution.pendingLog.isEmpty, location.seq >= execution.pendingLog.firstSeq {
            return try execution.pendingLog.logged(seq: location.seq)
        }
        return try statements.events.logged(key: location.key, seq: location.seq)
    }

    /// Writes each staged execution's waiting events as one `event_groups` row, in the order of
    /// their first seqs: each row goes at the end of the table (SQLite then fills pages whole).
    private func writePendingLog() throws {
        guard pendingLogBytes > 0 else { return }
        let insert = statements.insertEventGroup
        var waiting = stagedOrder.filter { !$0.pendingLog.isEmpty }
        waiting.sort { $0.pendingLog.firstSeq < $1.pendingLog.firstSeq }
        for execution in waiting {
            logBuffers.give(try execution.pendingLog.write(key: execution.key, using: insert))
        }
        pendingLogBytes = 0
    }

    /// The execution an event belongs to: known to this session, to the writer's cache, to the
    /// store, or new (with the next free key). An id the store certainly lacks (most of them)
    /// is not looked for. Takes the input for the reason `locate` does: its execution_id is
    /// read in place for the staged look-up, and copied only for an execution staged anew.
    private func stagedExecution(of input: ValidatedInput) throws -> StagedExecution {
        let hash = input.executionIDHash
        if let known = staged[input, hash: hash] { return known }
        let executionID = input.executionID
        let execution: StagedExecution
        if mayBeStored(hash: hash), let stored = try cache.execution(executionID) ?? statements.executions.find(executionID) {
            let old = stored.snapshot
            let version = StoredVersion(columns: ExecutionProjector.StoredColumns(old), contribution: UsageContribution(snapshot: old, prices: prices))
            execution = StagedExecution(key: stored.key, executionID: executionID, executionIDHash: hash, original: version, snapshot: old)
        } else {
            execution = StagedExecution(key: nextExecutionKey, executionID: executionID, executionIDHash: hash, original: nil,
                                        snapshot: ExecutionSnapshot(executionID: executionID))
            nextExecutionKey += 1
        }
        staged.insert(execution)
        stagedByKey[execution.key] = execution
        stagedOrder.append(execution)
        return execution
    }

    private func mayBeStored(hash: Int64) -> Bool {
        knownExecutionIDs?.mayContain(hash) ?? true
    }

    /// Applies the batch's events (sorted) to the staged snapshot, or marks it for a refold.
    /// The cursor moves once, to the last event: moving it at each event retained and released
    /// the events' ids. Called while `append`'s batch still holds the events.
    private func fold(_ execution: StagedExecution) {
        defer { execution.arrived.removeAll(keepingCapacity: true) }
        if execution.arrived.count > 1 { execution.arrived.sort(by: Self.foldOrder) }
        guard !execution.needsRefold, let first = execution.arrived.first,
              first._withUnsafeGuaranteedRef({ $0.canApplyInOrder(to: execution.snapshot) }) else {
            execution.needsRefold = true
            return
        }
        for input in execution.arrived {
            input._withUnsafeGuaranteedRef { $0.applyLeavingCursor(to: &execution.snapshot) }
        }
        execution.arrived[execution.arrived.count - 1]._withUnsafeGuaranteedRef { execution.snapshot.foldCursor = $0.foldKey }
    }

    /// `ExecutionEvent.foldOrder` read field by field through the references (passing
    /// `input.event` whole would copy every event at each comparison).
    private static func foldOrder(_ a: Unmanaged<ValidatedInput>, _ b: Unmanaged<ValidatedInput>) -> Bool {
        a._withUnsafeGuaranteedRef { a in
            b._withUnsafeGuaranteedRef { b in
                FoldKey.precedes(a.event.timestamp, a.event.type.foldRank, a.event.eventID, b.event.timestamp, b.event.type.foldRank, b.event.eventID)
            }
        }
    }

    private func quarantine(_ rejected: QuarantinedInput) throws {
        let insert = statements.insertQuarantine
        insert.bind(1, rejected.rejection.reason.rawValue)
        insert.bind(2, rejected.rejection.detail)
        insert.bind(3, rejected.origin.description)
        insert.bind(4, blob: rejected.messageKey)
        insert.bind(5, blob: rejected.raw)
        insert.bind(6, Int64(rejected.rawSize))
        let identifiers = Self.identifiers(in: rejected.raw)
        insert.bind(7, identifiers.eventID)
        insert.bind(8, identifiers.executionID)
        insert.bind(9, now)
        try insert.execute()
    }

    // MARK: finishing

    /// Executions refolded on another thread at a time (`finish`).
    static let refoldChunk = 64

    /// Writes everything the session staged. Call once, inside the transaction.
    func finish() throws {
        // First the log: a refold below reads the execution's events back from it.
        try writePendingLog()
        // A usage row is a function of its executions' contributions: it is recomputed only when
        // one of them changed (an execution that only heard a STATE event leaves it as it was).
        var affectedDays = InsertionOrderedSet<DailyUsageKey>()
        /// Per affected row, its members that changed, in order: one leaving is removed, any other
        /// takes its `writtenContribution` (held by the staged execution, not copied here: a
        /// contribution holds eight strings).
        var memberChanges: [DailyUsageKey: [(execution: StagedExecution, leaving: Bool)]] = [:]
        var affectedDayTeams = InsertionOrderedSet<DayTeam>()
        var affectedJobs = InsertionOrderedSet<String>()
        let projector = statements.executions
        let ordered = stagedOrder.sorted(by: { $0.key < $1.key })
        func write(_ execution: StagedExecution, _ snapshot: consuming ExecutionSnapshot) throws {
            var row: WrittenExecution
            let oldContribution = execution.original?.contribution
            if let old = execution.original {
                row = try projector.update(snapshot, key: execution.key, replacing: old.columns)
            } else {
                row = try projector.insert(snapshot, key: execution.key)
                additions.executionHashes.append(execution.executionIDHash)
            }
            let changed = row.contribution != oldContribution
            func affects(_ contribution: UsageContribution?, leaving: Bool) {
                guard let key = contribution?.key else { return }
                affectedJobs.insert(key.jobPath)
                if changed {
                    affectedDays.insert(key)
                    affectedDayTeams.insert(DayTeam(day: key.day, team: key.team))
                    memberChanges[key, default: []].append((execution, leaving))
                }
            }
            affects(oldContribution, leaving: true)
            affects(row.contribution, leaving: false)
            if changed { swap(&execution.writtenContribution, &row.contribution) }
            additions.written.append(row.takeExecution())
        }
        additions.written.reserveCapacity(ordered.count)
        // Snapshots are written in key order: a new execution's row then goes at the end of the
        // table, whose pages SQLite fills whole, and a row put before the end split a full page
        // (balance_nonroot, ~46,000 instructions each). Refolds come folded on another thread, in
        // the same order (`RefoldsInKeyOrder`). The snapshots move out of the staged executions
        // into the rows written and on into the writer's cache: copying one costs a retain and a
        // release of each of its strings.
        let events = statements.events
        var refolds = try RefoldsInKeyOrder(
            ordered.filter(\.needsRefold).map { RefoldsInKeyOrder.Refold(key: $0.key, executionID: $0.executionID) },
            chunkSize: Self.refoldChunk, rows: { try events.groups(ofExecutionKey: $0) })
        for execution in ordered {
            try write(execution, execution.needsRefold ? refolds.next() : execution.takeSnapshot())
        }
        additions.executionHashes.sort()
        // Each row is a function of the executions table as now written, so the order of the
        // recomputes does not matter; the order in which the keys were met is deterministic. A
        // row the writer recomputed before is its members then with this session's changes
        // applied; any other is read from the table.
        let usage = statements.usage
        for key in affectedDays.ordered {
            let members: UsageRowMembers
            // A row remembered with members is in the table: this writer wrote it last. Its
            // members are changed where the cache holds them.
            var stored = false
            if let remembered = cache.usageRows.members(of: key) {
                members = remembered
                stored = !remembered.contributions.isEmpty
                for change in memberChanges[key] ?? [] {
                    members.contributions[change.execution.executionID] = change.leaving ? nil : change.execution.takeWrittenContribution()
                }
            } else {
                members = try usage.members(of: key)
            }
            try usage.write(key, members: members, stored: stored)
            additions.usageRows[key] = members
        }
        for dayTeam in affectedDayTeams.ordered {
            try statements.usage.recomputeTeam(day: dayTeam.day, team: dayTeam.team)
        }
        // Every job whose executions changed gets this transaction's position as its version.
        let jobVersion = statements.upsertJobVersion
        for jobPath in affectedJobs.ordered {
            jobVersion.bind(1, jobPath)
            jobVersion.bind(2, nextSeq)
            try jobVersion.execute()
        }
        try indexNewEventIDs()
        let collisions = statements.insertCollision
        for (eventID, location) in newCollisions {
            collisions.bind(1, eventID)
            collisions.bind(2, location.key)
            collisions.bind(3, location.seq)
            try collisions.execute()
        }
        let position = statements.writePosition
        position.bind(1, nextSeq)
        position.bind(2, nextExecutionKey)
        try position.execute()
        let advance = statements.upsertCheckpoint
        for checkpoint in checkpoints.values.sorted(by: { $0.source < $1.source }) {
            advance.bind(1, checkpoint.source)
            advance.bind(2, checkpoint.position)
            advance.bind(3, checkpoint.detail)
            advance.bind(4, now)
            try advance.execute()
        }
    }

    /// Stores the new event ids as one row of `event_ids_recent`, or, once `limits.recentEventIDs`
    /// have gathered there, moves them all (with this session's) into `event_id_blocks`
    /// (`RecentEventIDs` says why).
    private func indexNewEventIDs() throws {
        let added = newEvents.sortedByHash()
        additions.eventIDs = added
        if cache.recentEventIDs.count + added.count < limits.recentEventIDs {
            guard let firstSeq = added.lazy.map(\.seq).min() else { return }
            let append = statements.insertRecentEventIDs
            append.bind(1, firstSeq)
            try append.execute(bindingBorrowed: PackedEventIDs.pack(added), at: 2)
            return
        }
        try statements.eventIDBlocks.add(cache.recentEventIDs.sorted, added)
        try statements.clearRecentEventIDs.execute()
        additions.movedRecentEventIDs = true
    }

    /// What `finish` wrote and indexed, handed over (not copied) to the writer's state.
    func takeAdditions() -> WriterState.Additions {
        defer { additions = WriterState.Additions() }
        // The table moves out (a small empty one takes its place), to be emptied and used again.
        var index = NewEventIndex()
        swap(&index, &newEvents)
        additions.memory.eventIndex = consume index
        swap(&additions.memory.logBuffers, &logBuffers)
        return additions
    }

    // MARK: helpers

    private static func conflict(_ input: ValidatedInput, storedAs location: EventLocation) -> QuarantinedInput {
        QuarantinedInput(
            rejection: Rejection(.conflictingDuplicate, "event_id \(FieldError.render(.string(input.event.eventID))) is already stored (seq \(location.seq)) with different content; the first stored wins"),
            origin: input.origin, raw: input.raw, messageKey: input.messageKey)
    }

    /// Best-effort ids of a quarantined record, so an operator can find what it was about.
    private static func identifiers(in raw: [UInt8]) -> (eventID: String?, executionID: String?) {
        guard raw.count <= Contract.maximumEnvelopeBytes, case .object(let object)? = try? JSONParser.parse(raw) else {
            return (nil, nil)
        }
        return (object["event_id"]?.stringValue, object["execution_id"]?.stringValue)
    }
}

/// A row of `daily_team_usage`.
private struct DayTeam: Hashable {
    var day: UTCDay
    var team: String
}
