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
        guard bytes.count <= maximumEnvelopeBytes else { return .failure(tooLarge(size: bytes.count)) }
        let document: JSONValue
        let payloadRange: Range<Int>?
        do {
            (document, payloadRange) = try JSONParser.parseEnvelope(buffer: bytes)
        } catch {
            return .failure(Rejection(.malformed, "not JSON: \(error)"))
        }
        guard case .object(let envelope) = document else {
            return .failure(Rejection(.malformed, "expected a JSON object, got \(document.kindName)"))
        }
        return validate(envelope: envelope, ingestTime: ingestTime, rawPayload: payloadRange.map { UnsafeBufferPointer(rebasing: bytes[$0]) })
    }

    /// The rejection of an envelope over the size limit (the contract's first check, whatever
    /// the encoding or the reader that noticed).
    public func tooLarge(size: Int) -> Rejection {
        Rejection(.tooLarge, "envelope is \(size) bytes; the limit is \(maximumEnvelopeBytes)")
    }

    public func validate(_ bytes: [UInt8], ingestTime: Int64) -> Result<ExecutionEvent, Rejection> {
        bytes.withUnsafeBufferPointer { validate($0, ingestTime: ingestTime) }
    }

    public func validate(_ text: String, ingestTime: Int64) -> Result<ExecutionEvent, Rejection> {
        validate(Array(text.utf8), ingestTime: ingestTime)
    }

    /// Validates an envelope that is already parsed (the protobuf path builds one).
    public func validate(envelope: JSONObject, ingestTime: Int64) -> Result<ExecutionEvent, Rejection> {
        validate(envelope: envelope, ingestTime: ingestTime, rawPayload: nil)
    }

    /// - Parameter rawPayload: the payload's bytes as they came, when there are any: its
    ///   canonical text is taken from them when they allow (`RawCanonicalJSON`), else written
    ///   from the parsed value.
    func validate(envelope: JSONObject, ingestTime: Int64, rawPayload: UnsafeBufferPointer<UInt8>?) -> Result<ExecutionEvent, Rejection> {
        let fields: EnvelopeFields
        do {
            fields = try EnvelopeFields(envelope)
        } catch {
            return .failure(Rejection(.invalidEnvelope, error.description))
        }
        guard fields.schemaVersion <= Contract.supportedSchemaVersion else {
            return .failure(Rejection(
                .unsupportedSchemaVersion,
                "schema_version \(fields.schemaVersion) is newer than the supported version \(Contract.supportedSchemaVersion)"))
        }
        guard let type = EventType(rawValue: fields.eventType) else {
            return .failure(Rejection(.unknownEventType, "event_type \(FieldError.render(.string(fields.eventType))) is not one of "
                + EventType.allCases.map(\.rawValue).joined(separator: ", ")))
        }
        guard fields.timestamp >= Contract.earliestTimestamp else {
            return .failure(Rejection(.invalidTimestamp, "timestamp \(fields.timestamp) is before 2000-01-01T00:00:00Z (\(Contract.earliestTimestamp))"))
        }
        guard fields.timestamp <= ingestTime + Contract.futureTolerance else {
            return .failure(Rejection(.invalidTimestamp, "timestamp \(fields.timestamp) is more than 24 h after ingest time \(ingestTime)"))
        }
        let payload: EventPayload
        do {
            payload = try EventPayload(type: type, object: fields.payload)
        } catch {
            return .failure(Rejection(.invalidPayload, "\(type.rawValue) \(error.description)"))
        }
        return .success(ExecutionEvent(
            eventID: fields.eventID, executionID: fields.executionID, type: type, timestamp: fields.timestamp,
            source: fields.source, schemaVersion: fields.schemaVersion, payload: payload,
            canonicalPayload: rawPayload.flatMap(RawCanonicalJSON.text) ?? JSONWriter.string(.object(fields.payload)),
            canonicalExtensions: fields.extensions.isEmpty ? nil : JSONWriter.string(.object(fields.extensions))))
    }
}

/// The envelope's members with their types and formats checked (the `invalid_envelope` step).
struct EnvelopeFields {
    static let sourceChoices = "one of " + EventSource.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")

    var eventID: String
    var executionID: String
    /// Checked against the known types in a later step (`unknown_event_type`).
    var eventType: String
    var timestamp: Int64
    var source: EventSource
    var schemaVersion: Int
    var payload: JSONObject
    var extensions: JSONObject

    init(_ envelope: JSONObject) throws(FieldError) {
        // One pass over the members: the named ones to their slots, the rest kept as extensions.
        // Slots are locals, not an array: an array was an allocation for every event.
        var eventIDSlot, executionIDSlot, typeSlot, timestampSlot, sourceSlot, versionSlot, payloadSlot: JSONValue?
        var extensions: [JSONObject.Member] = []
        for member in envelope.members {
            // The seven names have seven lengths: one string comparison a member.
            let key = member.key
            switch key.utf8.count {
            case 8 where key == "event_id": eventIDSlot = member.value
            case 12 where key == "execution_id": executionIDSlot = member.value
            case 10 where key == "event_type": typeSlot = member.value
            case 9 where key == "timestamp": timestampSlot = member.value
            case 6 where key == "source": sourceSlot = member.value
            case 14 where key == "schema_version": versionSlot = member.value
            case 7 where key == "payload": payloadSlot = member.value
            default: extensions.append(member)
            }
        }
        func missing(_ field: String, _ expected: String) -> FieldError {
            FieldError(field: field, expected: expected, found: nil)
        }
        func wrong(_ field: String, _ expected: String, _ value: JSONValue) -> FieldError {
            FieldError(field: field, expected: expected, found: FieldError.render(value))
        }
        guard let eventIDValue = eventIDSlot, !eventIDValue.isNull else { throw missing("event_id", "a non-empty string") }
        guard case .string(let eventID) = eventIDValue, !eventID.isEmpty else { throw wrong("event_id", "a non-empty string", eventIDValue) }
        guard eventID.utf8.count <= Contract.maximumIdentifierLength || eventID.unicodeScalars.count <= Contract.maximumIdentifierLength else {
            throw wrong("event_id", "1–128 characters", eventIDValue)
        }
        guard let executionIDValue = executionIDSlot, !executionIDValue.isNull else { throw missing("execution_id", "1–128 characters of [A-Za-z0-9._:-]") }
        guard case .string(let executionID) = executionIDValue, Contract.isValidExecutionID(executionID) else {
            throw wrong("execution_id", "1–128 characters of [A-Za-z0-9._:-]", executionIDValue)
        }
        guard let typeValue = typeSlot, !typeValue.isNull else { throw missing("event_type", "a non-empty string") }
        guard case .string(let eventType) = typeValue, !eventType.isEmpty else { throw wrong("event_type", "a non-empty string", typeValue) }
        guard let timestampValue = timestampSlot, !timestampValue.isNull else { throw missing("timestamp", "an integer (epoch milliseconds)") }
        guard case .int(let timestamp) = timestampValue else { throw wrong("timestamp", "an integer", timestampValue) }
        guard let sourceValue = sourceSlot, !sourceValue.isNull else { throw missing("source", Self.sourceChoices) }
        guard case .string(let sourceName) = sourceValue, let source = EventSource(rawValue: sourceName) else {
            throw wrong("source", Self.sourceChoices, sourceValue)
        }
        guard let versionValue = versionSlot, !versionValue.isNull else { throw missing("schema_version", "an integer ≥ 1") }
        guard case .int(let version) = versionValue, version >= 1 else { throw wrong("schema_version", "an integer ≥ 1", versionValue) }
        guard let payloadValue = payloadSlot else { throw missing("payload", "an object") }
        guard case .object(let payload) = payloadValue else { throw wrong("payload", "an object", payloadValue) }
        self.eventID = eventID
        self.executionID = executionID
        self.eventType = eventType
        self.timestamp = timestamp
        self.source = source
        self.schemaVersion = Int(version)
        self.payload = payload
        self.extensions = JSONObject(extensions)
    }
}
