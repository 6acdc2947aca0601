/// One accepted ExecutionEvent (contract §2): the envelope, its typed payload, and the payload and
/// unknown envelope members in canonical JSON, which is what the store keeps.
public struct ExecutionEvent: Sendable, Equatable {
    public var eventID: String
    public var executionID: String
    public var type: EventType
    /// Event time, epoch milliseconds.
    public var timestamp: Int64
    public var source: EventSource
    public var schemaVersion: Int
    public var payload: EventPayload
    /// The payload object, unknown members included, as canonical JSON.
    public var canonicalPayload: String
    /// Envelope members the contract does not name, as a canonical JSON object; nil when there are none.
    public var canonicalExtensions: String?

    public init(
        eventID: String, executionID: String, type: EventType, timestamp: Int64, source: EventSource,
        schemaVersion: Int = Contract.supportedSchemaVersion, payload: EventPayload,
        canonicalPayload: String, canonicalExtensions: String? = nil
    ) {
        self.eventID = eventID
        self.executionID = executionID
        self.type = type
        self.timestamp = timestamp
        self.source = source
        self.schemaVersion = schemaVersion
        self.payload = payload
        self.canonicalPayload = canonicalPayload
        self.canonicalExtensions = canonicalExtensions
    }

    /// Rebuilds an event from what the store keeps. Fails only if the stored payload no longer
    /// decodes, which would mean the store was edited behind the pipeline's back.
    /// `recent`, kept by the caller's thread, hands out the payload an earlier event of the same
    /// type and the same stored text decoded to, instead of parsing and decoding the text again.
    public init(
        eventID: String, executionID: String, type: EventType, timestamp: Int64, source: EventSource,
        schemaVersion: Int, canonicalPayload: String, canonicalExtensions: String?, recent: RecentPayloads? = nil
    ) throws {
        let payload: EventPayload
        if let recent, let kept = canonicalPayload.withBorrowedUTF8({ recent.kept(type, bytes: $0) }) {
            payload = kept.payload
        } else {
            let tape = try JSONParser.tape(canonicalPayload)
            guard tape.kind(at: JSONTape.root) == .object else {
                throw FieldError(field: "payload", expected: "an object", found: String(canonicalPayload.prefix(80)))
            }
            payload = try EventPayload(type: type, reader: PayloadReader(tape, object: JSONTape.root, path: "payload"))
            if let recent {
                canonicalPayload.withBorrowedUTF8 { recent.keep(type, bytes: $0, payload: payload, canonicalText: canonicalPayload) }
            }
        }
        self.init(
            eventID: eventID, executionID: executionID, type: type, timestamp: timestamp, source: source,
            schemaVersion: schemaVersion, payload: payload, canonicalPayload: canonicalPayload, canonicalExtensions: canonicalExtensions)
    }

    /// The position of this event in its execution's fold.
    public var foldKey: FoldKey { FoldKey(timestamp: timestamp, rank: type.foldRank, eventID: eventID) }

    /// Same JSON value as `other` (contract §4): key order and whitespace do not matter.
    /// Both sides are canonical, so comparing the canonical parts is comparing the values.
    public func hasSameContent(as other: ExecutionEvent) -> Bool {
        eventID == other.eventID && executionID == other.executionID && type == other.type
            && timestamp == other.timestamp && source == other.source && schemaVersion == other.schemaVersion
            && canonicalPayload == other.canonicalPayload && canonicalExtensions == other.canonicalExtensions
    }
}
