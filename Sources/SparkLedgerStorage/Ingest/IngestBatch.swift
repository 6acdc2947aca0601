import SparkLedgerCore

/// Where one input record came from, for the quarantine and for error messages.
public enum InputOrigin: Sendable, Equatable, CustomStringConvertible {
    /// A line of a file (1-based); `-` is standard input.
    case file(path: String, line: Int64)
    case kafka(topic: String, partition: Int32, offset: Int64)

    public var description: String {
        switch self {
        case .file(let path, let line): return "file:\(path):\(line)"
        case .kafka(let topic, let partition, let offset): return "kafka:\(topic)/\(partition)@\(offset)"
        }
    }
}

/// Input the validator rejected, on its way to the quarantine.
public struct QuarantinedInput: Sendable, Equatable {
    public var rejection: Rejection
    public var origin: InputOrigin
    /// The raw bytes; for a too_large record, only its first `Contract.maximumEnvelopeBytes`.
    public var raw: [UInt8]
    /// The size of the whole record.
    public var rawSize: Int
    /// The Kafka message key, when there was one.
    public var messageKey: [UInt8]?

    public init(rejection: Rejection, origin: InputOrigin, raw: [UInt8], rawSize: Int? = nil, messageKey: [UInt8]? = nil) {
        self.rejection = rejection
        self.origin = origin
        self.raw = raw
        self.rawSize = rawSize ?? raw.count
        self.messageKey = messageKey
    }
}

/// An event that passed validation, with its raw bytes in case it turns out a conflicting duplicate.
/// A class: the writer keeps and sorts references to the batch's events instead of copying
/// each event's dozen strings (a measurable share of ingest).
public final class ValidatedInput: Sendable, Equatable {
    public let event: ExecutionEvent
    public let origin: InputOrigin
    public let raw: [UInt8]
    public let messageKey: [UInt8]?
    /// `KnownHashes.executionIDHash` of the execution_id and `EventIDHash.hash` of the event_id,
    /// worked out on the thread that validates, so that the writer (the slower thread) finds
    /// the execution and the event's slot without hashing.
    let executionIDHash: Int64
    let eventIDHash: Int64
    /// Whether the event_id must be escaped in JSON, worked out here for the same reason: the
    /// writer's log element would scan the id for it (~1 % of the writer's instructions).
    let eventIDNeedsEscaping: Bool

    /// The event moves in (hashed first, then stored): a copy retains and later releases each
    /// of its strings.
    public init(event: consuming ExecutionEvent, origin: InputOrigin, raw: [UInt8], messageKey: [UInt8]? = nil) {
        executionIDHash = KnownHashes.executionIDHash(event.executionID)
        eventIDHash = EventIDHash.hash(event.eventID)
        eventIDNeedsEscaping = event.eventID.withBorrowedUTF8 { JSONWriter.needsEscaping($0) }
        self.origin = origin
        self.raw = raw
        self.messageKey = messageKey
        self.event = event
    }

    // The event's fields, borrowed from inside the object: `input.event.eventID` outside it
    // copied the whole event first. The strings are yielded, not returned: a returned String is
    // a retain and later a release.
    var eventID: String { _read { yield event.eventID } }
    var executionID: String { _read { yield event.executionID } }
    var type: EventType { event.type }
    var source: EventSource { event.source }

    /// Appends the event to an execution's waiting log row; returns the bytes added.
    func appendToLog(_ pending: inout EventGroup.Pending, seq: Int64) -> Int {
        pending.append(event, seq: seq, eventIDNeedsEscaping: eventIDNeedsEscaping)
    }

    /// The fold's steps on this event, from inside the object so that the event is borrowed,
    /// not copied out of it.
    func canApplyInOrder(to snapshot: ExecutionSnapshot) -> Bool { ExecutionFold.canApplyInOrder(event, to: snapshot) }

    func apply(to snapshot: inout ExecutionSnapshot) { ExecutionFold.apply(event, to: &snapshot) }

    /// `apply` leaving the fold cursor where it was (`ExecutionFold.applyLeavingCursor`).
    func applyLeavingCursor(to snapshot: inout ExecutionSnapshot) { ExecutionFold.applyLeavingCursor(event, to: &snapshot) }

    var foldKey: FoldKey { event.foldKey }

    public static func == (a: ValidatedInput, b: ValidatedInput) -> Bool {
        a.event == b.event && a.origin == b.origin && a.raw == b.raw && a.messageKey == b.messageKey
    }
}

public enum IngestItem: Sendable, Equatable {
    case event(ValidatedInput)
    case rejected(QuarantinedInput)

    public var origin: InputOrigin {
        switch self {
        case .event(let input): return input.origin
        case .rejected(let input): return input.origin
        }
    }

    /// The event, unretained, for a caller that holds the item (its batch) while it uses it.
    var unretainedEvent: Unmanaged<ValidatedInput>? {
        guard case .event(let input) = self else { return nil }
        return Unmanaged.passUnretained(input)
    }
}

/// How far an input has been consumed, stored with the events it covers.
public struct IngestCheckpoint: Sendable, Equatable {
    /// `file:<path>` or `kafka:<topic>/<partition>`.
    public var source: String
    /// Next line of a file, or next offset of a partition.
    public var position: Int64
    /// Free-form JSON the input uses to recognise itself (file size and mtime, …).
    public var detail: String?

    public init(source: String, position: Int64, detail: String? = nil) {
        self.source = source
        self.position = position
        self.detail = detail
    }

    /// The checkpoint source of a Kafka partition; its position is the next offset to read.
    public static func kafkaSource(topic: String, partition: Int32) -> String { "kafka:\(topic)/\(partition)" }
}

/// A unit of ingest: its items, in arrival order, and the checkpoints they advance. The store
/// applies all of it in one transaction or none of it.
public struct IngestBatch: Sendable, Equatable {
    public var items: [IngestItem]
    public var checkpoints: [IngestCheckpoint]

    public init(items: [IngestItem] = [], checkpoints: [IngestCheckpoint] = []) {
        self.items = items
        self.checkpoints = checkpoints
    }
}

/// What a batch did.
public struct AppendOutcome: Sendable, Equatable {
    public var accepted = 0
    /// `accepted` by event type and source.
    public var acceptedByKind = AcceptedEvents()
    /// Same event_id and same content as a stored (or earlier) event: counted, not stored again.
    public var duplicates = 0
    public var quarantined: [RejectionReason: Int] = [:]
    /// Kafka records below their partition's stored position: applied before, skipped.
    public var alreadyApplied = 0
    /// Executions whose snapshot changed.
    public var executionsTouched = 0

    public init() {}

    public var quarantinedTotal: Int { quarantined.values.reduce(0, +) }

    public mutating func add(_ other: AppendOutcome) {
        accepted += other.accepted
        acceptedByKind.add(other.acceptedByKind)
        duplicates += other.duplicates
        executionsTouched += other.executionsTouched
        alreadyApplied += other.alreadyApplied
        for (reason, count) in other.quarantined { quarantined[reason, default: 0] += count }
    }
}
