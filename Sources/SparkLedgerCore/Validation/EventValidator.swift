/// Turns the raw bytes of one envelope into an accepted event or a rejection (contract §2–§4).
///
/// Checks run in the contract's order and the first failure names the reason: size, JSON object,
/// envelope fields, schema version, event type, timestamp range, payload. Duplicates are the
/// store's business: they need what is already stored.
public struct EventValidator: Sendable {
    public var maximumEnvelopeBytes: Int

    public init(maximumEnvelopeBytes: Int = Contract.maximumEnvelopeBytes) {
        self.maximumEnvelopeBytes = maximumEnvelopeBytes
    }

    /// The envelope members the contract names; any other member is kept as an extension.
    public static let envelopeFieldNames: [String] = [
        "event_id", "execution_id", "event_type", "timestamp", "source", "schema_version", "payload",
    ]

    /// - Parameters:
    ///   - bytes: one envelope (a file line without its newline, or one Kafka message value).
    ///   - ingestTime: now, epoch milliseconds; events more than 24 h ahead of it are rejected.
    public func validate(_ bytes: UnsafeBufferPointer<UInt8>, ingestTime: Int64) -> Result<ExecutionEvent, Rejection> {
        var tape: JSONTape?
        return validate(bytes, ingestTime: ingestTime, tape: &tape)
    }

    /// - Parameter tape: the previous envelope's tape, reused (see `JSONParser.tape`); on return
    ///   this envelope's, whose `document` is a copy of `bytes` (nil when they were not parsed).
    public func validate(_ bytes: UnsafeBufferPointer<UInt8>, ingestTime: Int64, tape: inout JSONTape?) -> Result<ExecutionEvent, Rejection> {
        Self.result { validate(bytes, ingestTime: ingestTime, tape: &tape, into: &$0) }
    }

    /// As above, the event written to `event` (left nil on a rejection) instead of returned in a
    /// `Result`: taking it out of a `Result` copied it, and so did building the `Result`, each
    /// copy a retain and a release of every string (~830 instructions an event).
    /// `recent`, kept by the caller's thread from one envelope to the next, shares the
    /// execution_id, the decoded payload and its canonical text with earlier events that had the same.
    public func validate(_ bytes: UnsafeBufferPointer<UInt8>, ingestTime: Int64, tape: inout JSONTape?,
                         recent: RecentValues? = nil, into event: inout ExecutionEvent?) -> Rejection? {
        event = nil
        guard bytes.count <= maximumEnvelopeBytes else {
            tape = nil
            return tooLarge(size: bytes.count)
        }
        // The one copy a tape of a buffer makes anyway, made here: the tape shares the array.
        return validate(Array(bytes), ingestTime: ingestTime, tape: &tape, recent: recent, into: &event)
    }

    /// As above, the tape sharing `bytes` instead of copying them (a Kafka record's value).
    public func validate(_ bytes: [UInt8], ingestTime: Int64, tape: inout JSONTape?) -> Result<ExecutionEvent, Rejection> {
        Self.result { validate(bytes, ingestTime: ingestTime, tape: &tape, into: &$0) }
    }

    /// As above, the event written to `event` (left nil on a rejection).
    public func validate(_ bytes: [UInt8], ingestTime: Int64, tape: inout JSONTape?, recent: RecentValues? = nil,
                         into event: inout ExecutionEvent?) -> Rejection? {
        event = nil
        guard bytes.count <= maximumEnvelopeBytes else {
            tape = nil
            return tooLarge(size: bytes.count)
        }
        // The previous tape is moved in, not copied: a copy would keep its node array shared,
        // and the parser would allocate a new one.
        do {
            tape = try JSONParser.tape(bytes, reusing: tape.take())
        } catch {
            return Self.malformed(error)
        }
        return validate(tape: tape.unsafelyUnwrapped, ingestTime: ingestTime, recent: recent, into: &event)
    }

    /// The `Result` of a validation that writes its event in place.
    private static func result(_ validate: (inout ExecutionEvent?) -> Rejection?) -> Result<ExecutionEvent, Rejection> {
        var event: ExecutionEvent?
        if let rejection = validate(&event) { return .failure(rejection) }
        return .success(event.take().unsafelyUnwrapped)
    }

    private static func malformed(_ error: JSONParseError) -> Rejection {
        Rejection(.malformed, "not JSON: \(error)")
    }

    /// The rejection of an envelope over the size limit (the contract's first check, whatever
    /// the encoding or the reader that noticed).
    public func tooLarge(size: Int) -> Rejection {
        Rejection(.tooLarge, "envelope is \(size) bytes; the limit is \(maximumEnvelopeBytes)")
    }

    public func validate(_ bytes: [UInt8], ingestTime: Int64) -> Result<ExecutionEvent, Rejection> {
        var tape: JSONTape?
        return validate(bytes, ingestTime: ingestTime, tape: &tape)
    }

    public func validate(_ text: String, ingestTime: Int64) -> Result<ExecutionEvent, Rejection> {
        validate(Array(text.utf8), ingestTime: ingestTime)
    }

    /// Validates an envelope that is already parsed (the protobuf path builds one).
    public func validate(envelope: JSONObject, ingestTime: Int64) -> Result<ExecutionEvent, Rejection> {
        Self.result { validate(tape: JSONTape(.object(envelope)), ingestTime: ingestTime, into: &$0) }
    }

    /// The checks after the JSON syntax, on the parsed document. The payload's canonical text is
    /// taken from its tokens when they allow (`JSONTape.rawCanonicalText`), else written from its value.
    func validate(tape: JSONTape, ingestTime: Int64, recent: RecentValues? = nil, into event: inout ExecutionEvent?) -> Rejection? {
        event = nil
        guard tape.kind(at: JSONTape.root) == .object else {
            return Rejection(.malformed, "expected a JSON object, got \(tape.kind(at: JSONTape.root).name)")
        }
        var fields: EnvelopeFields
        do {
            fields = try EnvelopeFields(tape, recent: recent?.strings)
        } catch {
            return Rejection(.invalidEnvelope, error.description)
        }
        guard fields.schemaVersion <= Contract.supportedSchemaVersion else {
            return Rejection(
                .unsupportedSchemaVersion,
                "schema_version \(fields.schemaVersion) is newer than the supported version \(Contract.supportedSchemaVersion)")
        }
        guard let type = fields.eventType else {
            return Rejection(.unknownEventType, "event_type \(FieldError.render(.string(tape.string(at: fields.eventTypeNode)))) is not one of "
                + EventType.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard fields.timestamp >= Contract.earliestTimestamp else {
            return Rejection(.invalidTimestamp, "timestamp \(fields.timestamp) is before 2000-01-01T00:00:00Z (\(Contract.earliestTimestamp))")
        }
        guard fields.timestamp <= ingestTime + Contract.futureTolerance else {
            return Rejection(.invalidTimestamp, "timestamp \(fields.timestamp) is more than 24 h after ingest time \(ingestTime)")
        }
        let payload: EventPayload
        let canonicalPayload: String
        if let kept = recent?.payloads.kept(type, in: tape, at: fields.payload) {
            payload = kept.payload
            canonicalPayload = kept.canonicalText
        } else {
            do {
                payload = try EventPayload(type: type, reader: PayloadReader(tape, object: fields.payload, path: "payload"))
            } catch {
                return Rejection(.invalidPayload, "\(type.rawValue) \(error.description)")
            }
            canonicalPayload = tape.canonicalText(at: fields.payload, recent: recent?.strings)
            recent?.payloads.keep(type, in: tape, at: fields.payload, payload: payload, canonicalText: canonicalPayload)
        }
        let canonicalExtensions = fields.extensions.isEmpty ? nil : JSONWriter.string(.object(JSONObject(fields.extensions.map { member in
            JSONObject.Member(tape.string(at: member.key), tape.value(at: member.value))
        })))
        // The ids are moved out of `fields`: copied, each was retained and released (callgrind).
        // The event itself is still copied once as it is stored, however it is handed over —
        // assigned, swapped in or passed `consuming` (the twentieth round tried all three).
        var eventID = "", executionID = ""
        swap(&eventID, &fields.eventID)
        swap(&executionID, &fields.executionID)
        event = ExecutionEvent(
            eventID: eventID, executionID: executionID, type: type, timestamp: fields.timestamp,
            source: fields.source, schemaVersion: fields.schemaVersion, payload: consume payload,
            canonicalPayload: canonicalPayload, canonicalExtensions: canonicalExtensions)
        return nil
    }
}

/// The envelope's members with their types and formats checked (the `invalid_envelope` step).
struct EnvelopeFields {
    static let sourceChoices = "one of " + EventSource.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")

    var eventID: String
    var executionID: String
    /// Nil when the name is not a known type, which a later step rejects (`unknown_event_type`).
    var eventType: EventType?
    /// The event_type's node, for that step's message.
    var eventTypeNode: Int
    var timestamp: Int64
    var source: EventSource
    var schemaVersion: Int
    /// The payload object's node.
    var payload: Int
    /// The members the contract does not name, in document order.
    var extensions: [(key: Int, value: Int)]

    /// `recent` builds the execution_id (the event_id is unique: it would only take a slot).
    init(_ tape: JSONTape, recent: RecentStrings? = nil) throws(FieldError) {
        // One pass over the members: the named ones to their slots, the rest kept as extensions.
        var eventIDSlot, executionIDSlot, typeSlot, timestampSlot, sourceSlot, versionSlot, payloadSlot: Int?
        var extensions: [(key: Int, value: Int)] = []
        for member in tape.members(of: JSONTape.root) {
            // The seven names have seven lengths: one comparison of bytes a member.
            let key = member.key
            // `StaticString`s: a literal alone chose the `String` overload (~75 instructions a
            // comparison, where bytes against bytes take ~35).
            switch tape.stringCount(at: key) {
            case 8 where tape.string(at: key, equals: "event_id" as StaticString): eventIDSlot = member.value
            case 12 where tape.string(at: key, equals: "execution_id" as StaticString): executionIDSlot = member.value
            case 10 where tape.string(at: key, equals: "event_type" as StaticString): typeSlot = member.value
            case 9 where tape.string(at: key, equals: "timestamp" as StaticString): timestampSlot = member.value
            case 6 where tape.string(at: key, equals: "source" as StaticString): sourceSlot = member.value
            case 14 where tape.string(at: key, equals: "schema_version" as StaticString): versionSlot = member.value
            case 7 where tape.string(at: key, equals: "payload" as StaticString): payloadSlot = member.value
            default: extensions.append(member)
            }
        }
        func missing(_ field: String, _ expected: String) -> FieldError {
            FieldError(field: field, expected: expected, found: nil)
        }
        func wrong(_ field: String, _ expected: String, _ value: Int) -> FieldError {
            FieldError(field: field, expected: expected, found: FieldError.render(tape.value(at: value)))
        }
        func present(_ slot: Int?) -> Int? {
            guard let slot, !tape.isNull(at: slot) else { return nil }
            return slot
        }
        func string(_ slot: Int) -> String? {
            tape.kind(at: slot) == .string ? tape.string(at: slot) : nil
        }
        func integer(_ slot: Int) -> Int64? {
            tape.kind(at: slot) == .int ? tape.int(at: slot) : nil
        }
        guard let eventIDValue = present(eventIDSlot) else { throw missing("event_id", "a non-empty string") }
        guard let eventID = string(eventIDValue), !eventID.isEmpty else { throw wrong("event_id", "a non-empty string", eventIDValue) }
        guard eventID.utf8.count <= Contract.maximumIdentifierLength || eventID.unicodeScalars.count <= Contract.maximumIdentifierLength else {
            throw wrong("event_id", "1–128 characters", eventIDValue)
        }
        guard let executionIDValue = present(executionIDSlot) else { throw missing("execution_id", "1–128 characters of [A-Za-z0-9._:-]") }
        guard tape.kind(at: executionIDValue) == .string, case let executionID = tape.string(at: executionIDValue, recent: recent),
              Contract.isValidExecutionID(executionID) else {
            throw wrong("execution_id", "1–128 characters of [A-Za-z0-9._:-]", executionIDValue)
        }
        guard let typeValue = present(typeSlot) else { throw missing("event_type", "a non-empty string") }
        guard tape.kind(at: typeValue) == .string, tape.stringCount(at: typeValue) > 0 else {
            throw wrong("event_type", "a non-empty string", typeValue)
        }
        guard let timestampValue = present(timestampSlot) else { throw missing("timestamp", "an integer (epoch milliseconds)") }
        guard let timestamp = integer(timestampValue) else { throw wrong("timestamp", "an integer", timestampValue) }
        guard let sourceValue = present(sourceSlot) else { throw missing("source", Self.sourceChoices) }
        guard tape.kind(at: sourceValue) == .string, let source = EventSource.names.value(at: sourceValue, of: tape) else {
            throw wrong("source", Self.sourceChoices, sourceValue)
        }
        guard let versionValue = present(versionSlot) else { throw missing("schema_version", "an integer ≥ 1") }
        guard let version = integer(versionValue), version >= 1 else { throw wrong("schema_version", "an integer ≥ 1", versionValue) }
        guard let payloadValue = payloadSlot else { throw missing("payload", "an object") }
        guard tape.kind(at: payloadValue) == .object else { throw wrong("payload", "an object", payloadValue) }
        self.eventID = eventID
        self.executionID = executionID
        self.eventType = EventType.names.value(at: typeValue, of: tape)
        self.eventTypeNode = typeValue
        self.timestamp = timestamp
        self.source = source
        self.schemaVersion = Int(version)
        self.payload = payloadValue
        self.extensions = extensions
    }
}
