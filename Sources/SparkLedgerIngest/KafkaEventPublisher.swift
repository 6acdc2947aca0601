import SparkLedgerArchive
import SparkLedgerCore
import SparkLedgerKafka
import SparkLedgerProtobuf

/// How `produce` encodes record values.
public enum KafkaEventEncoding: String, CaseIterable, Sendable {
    case json
    case protobuf
}

/// Publishes the lines of event files to Kafka, keyed by each envelope's execution_id, for
/// backfills, demos and tests. Lines are sent as they are, bad ones too (a line that is not an
/// envelope goes without a key): the consumer's quarantine is where they are judged.
///
/// With the protobuf encoding each envelope is sent as an ExecutionEvent message; a line with no
/// exact protobuf form (not an envelope, unknown members, values of the wrong type) is sent as
/// JSON instead, so the consumer stores exactly what it would from the JSON lines.
public final class KafkaEventPublisher {
    public struct Report: Sendable, Equatable {
        public var messages = 0
        public var withoutKey = 0
        /// With the protobuf encoding: lines sent as JSON because they have no exact protobuf form.
        public var sentAsJSON = 0
        public var blankLines = 0
        /// Lines over the envelope limit, not sent (a broker refuses messages that large anyway).
        public var oversized = 0
    }

    private let producer: KafkaProducer
    private let topic: String
    private let encoding: KafkaEventEncoding

    public init(client: KafkaClientConfiguration, topic: String, encoding: KafkaEventEncoding = .json) throws(KafkaError) {
        producer = try KafkaProducer(client: client)
        self.topic = topic
        self.encoding = encoding
    }

    public func publish(_ paths: [String], progress: (Report) -> Void = { _ in }) throws -> Report {
        var report = Report()
        for path in try IngestInputs.expand(paths) {
            let reader = try EventFileReader(path: path, maximumLineBytes: Contract.maximumEnvelopeBytes)
            try reader.forEachLine { line in
                switch line {
                case .line(_, let bytes):
                    guard bytes.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else {
                        report.blankLines += 1
                        return true
                    }
                    let envelope = Self.envelope(bytes)
                    let key = envelope?["execution_id"]?.stringValue.map { Array($0.utf8) }
                    if key == nil { report.withoutKey += 1 }
                    if encoding == .protobuf, let envelope, let message = ProtobufEnvelope.encode(envelope) {
                        try producer.send(topic: topic, key: key, value: message, headers: [("content-type", ProtobufEnvelope.contentType)])
                    } else {
                        if encoding == .protobuf { report.sentAsJSON += 1 }
                        try producer.send(topic: topic, key: key, value: Array(bytes), headers: [("content-type", KafkaRecordDecoder.json)])
                    }
                    report.messages += 1
                    if report.messages % 10_000 == 0 { progress(report) }
                case .oversized:
                    report.oversized += 1
                }
                return true
            }
        }
        try producer.flush()
        progress(report)
        return report
    }

    private static func envelope(_ bytes: UnsafeBufferPointer<UInt8>) -> JSONObject? {
        guard case .object(let object)? = try? JSONParser.parse(buffer: bytes) else { return nil }
        return object
    }
}
