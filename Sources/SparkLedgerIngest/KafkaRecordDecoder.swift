import Foundation
import SparkLedgerCore
import SparkLedgerKafka
import SparkLedgerStorage

/// Turns one Kafka record into an ingest item: an accepted event or a quarantine entry with its
/// topic, partition, offset, key and raw bytes. Never fails: bad messages are data.
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
        let origin = InputOrigin.kafka(topic: record.topic, partition: record.partition, offset: record.offset)
        let contentType = record.header("content-type")?.split(separator: ";").first
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? Self.json
        func rejected(_ rejection: Rejection) -> Decoded {
            let kept = Array(record.value.prefix(validator.maximumEnvelopeBytes))
            return Decoded(item: .rejected(QuarantinedInput(rejection: rejection, origin: origin, raw: kept, rawSize: record.value.count,
                                                            messageKey: record.key)),
                           keyMismatch: false)
        }
        guard contentType == Self.json else {
            return rejected(Rejection(.malformed, "content-type \"\(contentType)\" is not supported; expected \(Self.json)"))
        }
        switch validator.validate(record.value, ingestTime: ingestTime) {
        case .failure(let rejection):
            return rejected(rejection)
        case .success(let event):
            let mismatch = record.key.map { $0 != Array(event.executionID.utf8) } ?? true
            return Decoded(item: .event(ValidatedInput(event: event, origin: origin, raw: record.value, messageKey: record.key)),
                           keyMismatch: mismatch)
        }
    }
}
