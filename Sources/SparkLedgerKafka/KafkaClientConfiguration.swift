import CRdKafka

/// librdkafka properties for a client: `bootstrap.servers` plus whatever the user passes with
/// `--kafka-option key=value` (their values win over our defaults).
public struct KafkaClientConfiguration: Sendable {
    public var brokers: String
    public var options: [String: String]

    public init(brokers: String, options: [String: String] = [:]) {
        self.brokers = brokers
        self.options = options
    }

    /// Parses `key=value`; names the text when it is not of that form.
    public static func option(_ text: String) throws(KafkaError) -> (key: String, value: String) {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            throw KafkaError("--kafka-option \"\(text)\" is not of the form key=value")
        }
        return (String(text[..<equals]), String(text[text.index(after: equals)...]))
    }

    /// A librdkafka configuration object with `defaults`, then the brokers, then the options.
    /// The caller owns it until `rd_kafka_new` takes it.
    func makeConf(defaults: [(String, String)]) throws(KafkaError) -> OpaquePointer {
        guard let conf = rd_kafka_conf_new() else { throw KafkaError("librdkafka could not allocate a configuration") }
        var properties = defaults
        properties.append(("bootstrap.servers", brokers))
        properties.append(contentsOf: options.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        for (key, value) in properties {
            var reason = [CChar](repeating: 0, count: 512)
            if rd_kafka_conf_set(conf, key, value, &reason, reason.count) != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                throw KafkaError("Kafka option \(key)=\(value): \(Self.text(reason))")
            }
        }
        return conf
    }

    /// Creates a client; frees `conf` itself if librdkafka refuses it.
    static func makeHandle(_ type: rd_kafka_type_t, conf: OpaquePointer) throws(KafkaError) -> OpaquePointer {
        var reason = [CChar](repeating: 0, count: 512)
        guard let handle = rd_kafka_new(type, conf, &reason, reason.count) else {
            rd_kafka_conf_destroy(conf)
            throw KafkaError("cannot create a Kafka client: \(text(reason))")
        }
        return handle
    }

    static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
