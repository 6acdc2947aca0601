import CRdKafka

/// Topic administration: what `serve`'s tests and `produce --create-topic` need.
public enum KafkaAdmin {
    /// Creates `topic` with `partitions` partitions; an existing topic is fine.
    public static func createTopic(_ topic: String, partitions: Int32, client: KafkaClientConfiguration,
                                   timeoutMilliseconds: Int32 = 10_000) throws(KafkaError) {
        let conf = try client.makeConf(defaults: [("client.id", "sparkledger-admin")])
        let handle = try KafkaClientConfiguration.makeHandle(RD_KAFKA_PRODUCER, conf: conf)
        defer { rd_kafka_destroy(handle) }
        var reason = [CChar](repeating: 0, count: 512)
        guard let newTopic = rd_kafka_NewTopic_new(topic, partitions, -1, &reason, reason.count) else {
            throw KafkaError("topic \(topic): \(KafkaClientConfiguration.text(reason))")
        }
        defer { rd_kafka_NewTopic_destroy(newTopic) }
        let queue = rd_kafka_queue_new(handle)
        defer { rd_kafka_queue_destroy(queue) }
        var topics: [OpaquePointer?] = [newTopic]
        rd_kafka_CreateTopics(handle, &topics, 1, nil, queue)
        guard let event = rd_kafka_queue_poll(queue, Int32(timeoutMilliseconds)) else {
            throw KafkaError("creating topic \(topic): no answer from \(client.brokers) within \(timeoutMilliseconds) ms")
        }
        defer { rd_kafka_event_destroy(event) }
        let error = rd_kafka_event_error(event)
        if error != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError("creating topic \(topic)", error: error)
        }
        guard let result = rd_kafka_event_CreateTopics_result(event) else { return }
        var count = 0
        guard let results = rd_kafka_CreateTopics_result_topics(result, &count) else { return }
        for index in 0..<count {
            guard let topicResult = results[index] else { continue }
            let topicError = rd_kafka_topic_result_error(topicResult)
            if topicError != RD_KAFKA_RESP_ERR_NO_ERROR && topicError != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS {
                throw KafkaError("creating topic \(topic)", error: topicError)
            }
        }
    }

    /// librdkafka's version, e.g. 0x020000ff for 2.0.0; tests need ≥ 2.2 to talk to Tansu.
    public static var libraryVersion: Int32 { rd_kafka_version() }
    public static var libraryVersionText: String { String(cString: rd_kafka_version_str()) }
}
