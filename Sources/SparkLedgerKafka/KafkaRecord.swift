/// A topic partition.
public struct KafkaPartition: Sendable, Hashable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32

    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    public var description: String { "\(topic)/\(partition)" }
}

/// One consumed message, copied out of librdkafka.
public struct KafkaRecord: Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    /// nil when the message has no key.
    public var key: [UInt8]?
    /// Empty for a null value (a tombstone).
    public var value: [UInt8]
    /// Headers in message order; a header without a value has nil.
    public var headers: [(name: String, value: [UInt8]?)]

    public init(topic: String, partition: Int32, offset: Int64, key: [UInt8]?, value: [UInt8], headers: [(name: String, value: [UInt8]?)] = []) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
    }

    public var topicPartition: KafkaPartition { KafkaPartition(topic: topic, partition: partition) }

    /// The last value of a header, decoded as UTF-8.
    public func header(_ name: String) -> String? {
        headerValue(name)?.map { String(decoding: $0, as: UTF8.self) }
    }

    /// The last value of a header as bytes: nil when there is no such header, `.some(nil)` when
    /// it has no value.
    public func headerValue(_ name: String) -> [UInt8]?? {
        headers.last(where: { $0.name == name }).map(\.value)
    }

    public static func == (lhs: KafkaRecord, rhs: KafkaRecord) -> Bool {
        lhs.topic == rhs.topic && lhs.partition == rhs.partition && lhs.offset == rhs.offset && lhs.key == rhs.key
            && lhs.value == rhs.value && lhs.headers.map(\.name) == rhs.headers.map(\.name)
            && lhs.headers.map(\.value) == rhs.headers.map(\.value)
    }
}
