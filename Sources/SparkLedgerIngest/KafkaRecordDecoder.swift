import Foundation
import SparkLedgerCore
import SparkLedgerKafka
import SparkLedgerProtobuf
import SparkLedgerStorage

/// Turns one Kafka record into an ingest item: an accepted event or a quarantine entry with its
/// topic, partition, offset, key and raw bytes. Never fails: bad messages are data. A protobuf
/// record (`content-type: application/x-protobuf`) is turned into the contract's JSON envelope
/// first and validated as such, so it stores exactly as the same event sent as JSON.
public struct KafkaRecordDecoder: Sendable {
    public static let json = "application/json"

    public var validator: EventValidator

    public init(validator: EventValidator = EventValidator()) {
        self.validator = validator
    }

    public struct Decoded: Sendable {
        public var item: IngestItem
        /// The record's key is missing or is not the envelope's execution_id (the envelope wins).
        public var keyMismatch: Bool
    }

    public func decode(_ record: KafkaRecord, ingestTime: Int64) -> Decoded {
        var tape: JSONTape?
        return decode(record, ingestTime: ingestTime, tape: &tape)
    }

    /// - Parameters:
    ///   - tape: the previous record's tape, whose node array a JSON record reuses
    ///     (`EventValidator.validate(_:ingestTime:tape:)`).
    ///   - recent: strings and payloads earlier records of the caller's thread made, shared when they recur.
    public func decode(_ record: KafkaRecord, ingestTime: Int64, tape: inout JSONTape?, recent: RecentValues? = nil) -> Decoded {
        let origin = InputOrigin.kafka(topic: record.topic, partition: record.partition, offset: record.offset)
        let contentType = record.headerValue("content-type").flatMap { $0 }.flatMap(Self.mediaType) ?? Self.json
        func rejected(_ rejection: Rejection) -> Decoded {
            let kept = Array(record.value.prefix(validator.maximumEnvelopeBytes))
            return Decoded(item: .rejected(QuarantinedInput(rejection: rejection, origin: origin, raw: kept, rawSize: record.value.count,
                                                            messageKey: record.key)),
                           keyMismatch: false)
        }
        // The event is written to `event` and moved on, not taken out of a `Result` (a copy).
        var event: ExecutionEvent?
        let rejection: Rejection?
        switch contentType {
        case Self.json:
            rejection = validator.validate(record.value, ingestTime: ingestTime, tape: &tape, recent: recent, into: &event)
        case ProtobufEnvelope.contentType:
            switch validateProtobuf(record.value, ingestTime: ingestTime) {
            case .failure(let failure): rejection = failure
            case .success(let success): rejection = nil; event = success
            }
        default:
            return rejected(Rejection(.malformed, "content-type \"\(contentType)\" is not supported; expected \(Self.json) or \(ProtobufEnvelope.contentType)"))
        }
        if let rejection { return rejected(rejection) }
        let validated = event.take().unsafelyUnwrapped
        let mismatch = record.key.map { !Self.key($0, isExecutionID: validated.executionID) } ?? true
        return Decoded(item: .event(ValidatedInput(event: validated, origin: origin, raw: record.value, messageKey: record.key)),
                       keyMismatch: mismatch)
    }

    /// Whether a record's key is the execution_id's UTF-8 bytes, compared in place (`elementsEqual`
    /// over the string's UTF-8 view went byte by byte through the generic path).
    static func key(_ key: [UInt8], isExecutionID executionID: String) -> Bool {
        var executionID = executionID
        return executionID.withUTF8 { id in
            key.withUnsafeBufferPointer { key in
                key.count == id.count && (key.isEmpty || memcmp(key.baseAddress!, id.baseAddress!, key.count) == 0)
            }
        }
    }

    /// The media type of a content-type header's value: before any parameters, trimmed,
    /// lowercased; nil when there is none. Nearly every record says exactly `application/json`,
    /// which costs no allocation.
    static func mediaType(_ header: [UInt8]) -> String? {
        if header.elementsEqual(json.utf8) { return json }
        return String(decoding: header, as: UTF8.self).split(separator: ";").first
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    }

    /// The contract's checks in its order, on the JSON envelope a protobuf message stands for.
    func validateProtobuf(_ bytes: [UInt8], ingestTime: Int64) -> Result<ExecutionEvent, Rejection> {
        guard bytes.count <= validator.maximumEnvelopeBytes else { return .failure(validator.tooLarge(size: bytes.count)) }
        let decoded: ProtobufEnvelope.Decoded
        do {
            decoded = try ProtobufEnvelope.decode(bytes)
        } catch {
            return .failure(Rejection(.malformed, error.description))
        }
        let validated = validator.validate(envelope: decoded.envelope, ingestTime: ingestTime)
        guard let payloadError = decoded.payloadError else { return validated }
        // An undecodable payload is invalid_payload, unless an earlier check failed first.
        if case .failure(let rejection) = validated, rejection.reason != .invalidPayload { return validated }
        return .failure(Rejection(.invalidPayload, payloadError))
    }
}
