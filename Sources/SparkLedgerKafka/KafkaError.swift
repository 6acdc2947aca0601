import CRdKafka

/// A failure talking to Kafka, with librdkafka's words for it.
public struct KafkaError: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// librdkafka's `rd_kafka_resp_err_t`, when there is one.
    public var code: Int32?

    public init(_ message: String, code: Int32? = nil) {
        self.message = message
        self.code = code
    }

    init(_ context: String, error: rd_kafka_resp_err_t) {
        self.init("\(context): \(String(cString: rd_kafka_err2str(error)))", code: error.rawValue)
    }

    public var description: String { message }
}
