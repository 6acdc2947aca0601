import Dispatch

/// A `KafkaConsumer` for async code: every librdkafka call of it runs on one serial queue of its
/// own, never on the cooperative pool, and its records arrive as an `AsyncSequence` of batches.
public final class AsyncKafkaConsumer: @unchecked Sendable {
    // @unchecked: `consumer` is only touched on `queue`.
    private let queue: DispatchQueue
    private let consumer: KafkaConsumer

    /// Creates the client and subscribes (no broker needs to answer yet).
    public init(client: KafkaClientConfiguration, group: String, topics: [String], rebalance: KafkaRebalanceHandler) async throws {
        let queue = DispatchQueue(label: "sparkledger.kafka-consumer.\(group)")
        let box = try await queue.performBlocking {
            Unchecked(try KafkaConsumer(client: client, group: group, topics: topics, rebalance: rebalance))
        }
        self.queue = queue
        self.consumer = box.value
    }

    /// Batches of up to `maxRecords` records, each gathered for at most `timeoutMilliseconds`.
    /// The sequence ends when `stop` is requested or the task is cancelled (the batch being
    /// gathered then is still delivered), and throws on a fatal client error.
    public func batches(maxRecords: Int, timeoutMilliseconds: Int, stop: StopRequest,
                        onTransientError: @escaping @Sendable (KafkaError) -> Void = { _ in }) -> KafkaRecordBatches {
        KafkaRecordBatches(consumer: self, maxRecords: maxRecords, timeoutMilliseconds: timeoutMilliseconds, stop: stop,
                           onTransientError: onTransientError)
    }

    func poll(maxRecords: Int, timeoutMilliseconds: Int, onTransientError: @escaping @Sendable (KafkaError) -> Void) async throws -> KafkaRecordBatch {
        try await onQueue { consumer in
            let records = try consumer.poll(maxRecords: maxRecords, timeoutMilliseconds: timeoutMilliseconds, onTransientError: onTransientError)
            return KafkaRecordBatch(records: records, assignment: consumer.assignment)
        }
    }

    /// Whether a broker answers a metadata request for `topic` within the timeout.
    public func brokersReachable(topic: String, timeoutMilliseconds: Int) async -> Bool {
        (try? await onQueue { $0.brokersReachable(topic: topic, timeoutMilliseconds: timeoutMilliseconds) }) ?? false
    }

    /// The partitions `topic` has (0: it does not exist; nil: no broker answered).
    public func partitionCount(topic: String, timeoutMilliseconds: Int) async -> Int? {
        (try? await onQueue { $0.partitionCount(topic: topic, timeoutMilliseconds: timeoutMilliseconds) }) ?? nil
    }

    /// Leaves the group and joins it again (see `KafkaConsumer.resubscribe`).
    public func resubscribe() async throws {
        try await onQueue { try $0.resubscribe() }
    }

    /// Messages left to consume per partition, where known (see `KafkaConsumer.lag(of:)`).
    public func lag(of partitions: Set<KafkaPartition>, positions: [KafkaPartition: Int64] = [:]) async -> [KafkaPartition: Int64] {
        (try? await onQueue { $0.lag(of: partitions, positions: positions) }) ?? [:]
    }

    /// Commits next-offsets to the group, asynchronously (for lag tooling).
    public func commit(_ positions: [KafkaPartition: Int64]) async {
        _ = try? await onQueue { $0.commit(positions) }
    }

    /// Leaves the group.
    public func close() async {
        _ = try? await onQueue { $0.close() }
    }

    /// Runs `body` with the consumer on its queue.
    private func onQueue<T: Sendable>(_ body: @escaping @Sendable (KafkaConsumer) throws -> T) async throws -> T {
        let consumer = Unchecked(consumer)
        return try await queue.performBlocking { try body(consumer.value) }
    }
}

/// What one poll gave: records, and the partitions the member owned when it returned.
public struct KafkaRecordBatch: Sendable {
    public var records: [KafkaRecord]
    public var assignment: Set<KafkaPartition>
}

/// A value handed to the consumer's queue and back; only that queue uses it.
struct Unchecked<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
