import SparkLedgerArchive
import SparkLedgerCore
import SparkLedgerKafka

/// Publishes the lines of event files to Kafka, keyed by each envelope's execution_id, for
/// backfills, demos and tests. Lines are sent as they are, bad ones too (a line that is not an
/// envelope goes without a key): the consumer's quarantine is where they are judged.
public final class KafkaEventPublisher {
    public struct Report: Sendable, Equatable {
        public var messages = 0
        public var withoutKey = 0
        public var blankLines = 0
        /// Lines over the envelope limit, not sent (a broker refuses messages that large anyway).
        public var oversized = 0
    }

    private let producer: KafkaProducer
    private let topic: String

    public init(client: KafkaClientConfiguration, topic: String) throws(KafkaError) {
        producer = try KafkaProducer(client: client)
        self.topic = topic
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
                    let key = Self.executionID(bytes)
                    if key == nil { report.withoutKey += 1 }
                    try producer.send(topic: topic, key: key, value: Array(bytes), headers: [("content-type", KafkaRecordDecoder.json)])
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

    private static func executionID(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard case .object(let object)? = try? JSONParser.parse(buffer: bytes), case .string(let id)? = object["execution_id"] else {
            return nil
        }
        return Array(id.utf8)
    }
}
