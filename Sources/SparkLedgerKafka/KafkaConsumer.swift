import CRdKafka
import Foundation

/// What a consumer asks its owner when the group hands it partitions or takes them away. Called
/// on the thread that polls, inside `poll`.
public struct KafkaRebalanceHandler: Sendable {
    /// The next offset to read of each newly assigned partition, as the owner stored it with the
    /// data; partitions missing from the answer start at the group's committed offset, then at
    /// the earliest (`auto.offset.reset=earliest`).
    public var positions: @Sendable ([KafkaPartition]) throws -> [KafkaPartition: Int64]
    /// Partitions taken away: records of them that were polled but not yet applied must be dropped.
    public var revoked: @Sendable ([KafkaPartition]) -> Void

    public init(positions: @escaping @Sendable ([KafkaPartition]) throws -> [KafkaPartition: Int64],
                revoked: @escaping @Sendable ([KafkaPartition]) -> Void = { _ in }) {
        self.positions = positions
        self.revoked = revoked
    }
}

/// A consumer-group member. Not thread-safe: one thread polls, commits and closes it (librdkafka
/// calls block; keep them off the cooperative pool).
public final class KafkaConsumer {
    /// State the C rebalance callback reaches through the client's opaque pointer.
    final class Context {
        let handler: KafkaRebalanceHandler
        var assignment: Set<KafkaPartition> = []
        var rebalanceError: Error?
        /// Client-level errors (brokers down, connections refused) since the last poll reported them.
        var clientErrors: [KafkaError] = []
        var fatal: KafkaError?
        init(handler: KafkaRebalanceHandler) { self.handler = handler }
    }

    private let handle: OpaquePointer
    private let context: Unmanaged<Context>
    private let topics: [String]
    private var closed = false

    /// Consumer defaults for the librdkafka in use; `--kafka-option` overrides any of them.
    public static var defaults: [(String, String)] { defaults(libraryVersion: rd_kafka_version()) }

    /// The first librdkafka with `fetch.queue.backoff.ms` (2.1.0, as `rd_kafka_version()` reports it).
    static let fetchQueueBackoffVersion: Int32 = 0x0201_00FF

    static func defaults(libraryVersion: Int32) -> [(String, String)] {
        var defaults = [
            ("enable.auto.commit", "false"),
            ("enable.auto.offset.store", "false"),
            ("auto.offset.reset", "earliest"),
            ("enable.partition.eof", "false"),
            ("client.id", "sparkledger"),
            // Client errors reach `poll`'s caller, which logs them once in a while; librdkafka's own
            // log would print every reconnect attempt. `--kafka-option log_level=6` brings it back.
            ("log_level", "2"),
        ]
        // When the local queue passes its limits (a backlog: one fetch response may fill it),
        // librdkafka stops fetching *every* partition for this long, 1 s by default — measured, a
        // second of a million-record backlog spent with the queue drained and no fetch in flight.
        // Older libraries lack the property (and refuse unknown ones): they keep the second.
        if libraryVersion >= fetchQueueBackoffVersion {
            defaults.append(("fetch.queue.backoff.ms", "20"))
        }
        return defaults
    }

    public init(client: KafkaClientConfiguration, group: String, topics: [String], rebalance: KafkaRebalanceHandler) throws(KafkaError) {
        let conf = try client.makeConf(defaults: Self.defaults + [("group.id", group)])
        let context = Unmanaged.passRetained(Context(handler: rebalance))
        rd_kafka_conf_set_opaque(conf, context.toOpaque())
        rd_kafka_conf_set_rebalance_cb(conf) { handle, error, partitions, opaque in
            guard let handle, let partitions, let opaque else { return }
            KafkaConsumer.rebalanced(handle, error, partitions, Unmanaged<Context>.fromOpaque(opaque).takeUnretainedValue())
        }
        rd_kafka_conf_set_error_cb(conf) { _, error, reason, opaque in
            guard let opaque else { return }
            let context = Unmanaged<Context>.fromOpaque(opaque).takeUnretainedValue()
            let text = reason.map { String(cString: $0) } ?? String(cString: rd_kafka_err2str(rd_kafka_resp_err_t(error)))
            let kafkaError = KafkaError(text, code: error)
            if rd_kafka_resp_err_t(error) == RD_KAFKA_RESP_ERR__FATAL {
                context.fatal = kafkaError
            } else if context.clientErrors.count < 100 {
                context.clientErrors.append(kafkaError)
            }
        }
        let handle: OpaquePointer
        do {
            handle = try KafkaClientConfiguration.makeHandle(RD_KAFKA_CONSUMER, conf: conf)
        } catch {
            context.release()
            throw error
        }
        self.handle = handle
        self.context = context
        rd_kafka_poll_set_consumer(handle)
        self.topics = topics
        try subscribe()
    }

    private func subscribe() throws(KafkaError) {
        let list = rd_kafka_topic_partition_list_new(Int32(topics.count))
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for topic in topics { rd_kafka_topic_partition_list_add(list, topic, RD_KAFKA_PARTITION_UA) }
        let error = rd_kafka_subscribe(handle, list)
        if error != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError("cannot subscribe to \(topics.joined(separator: ", "))", error: error)
        }
    }

    /// Leaves the group and joins it again with the same topics: a fresh join, with fresh
    /// metadata. (librdkafka 2.16 does not rejoin by itself when a topic that was missing at the
    /// last join comes back with the partition count it had before.)
    public func resubscribe() throws(KafkaError) {
        let error = rd_kafka_unsubscribe(handle)
        if error != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError("cannot unsubscribe from \(topics.joined(separator: ", "))", error: error)
        }
        try subscribe()
    }

    deinit {
        close()
        rd_kafka_destroy(handle)
        context.release()
    }

    /// The partitions this member owns now.
    public var assignment: Set<KafkaPartition> { context.takeUnretainedValue().assignment }

    /// Up to `maxRecords` records, waiting at most `timeoutMilliseconds` in all. Transient broker
    /// trouble is reported to `onTransientError` and polling goes on; a fatal client error throws.
    public func poll(maxRecords: Int, timeoutMilliseconds: Int, onTransientError: (KafkaError) -> Void = { _ in }) throws -> [KafkaRecord] {
        var records: [KafkaRecord] = []
        let deadline = ContinuousClock.now + .milliseconds(timeoutMilliseconds)
        while records.count < maxRecords {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { break }
            let milliseconds = Int32(min(Double(Int32.max), max(1, (remaining / .milliseconds(1)).rounded(.up))))
            let message = rd_kafka_consumer_poll(handle, records.isEmpty ? milliseconds : 0)
            // The rebalance and error callbacks run inside the poll; they cannot throw themselves.
            let state = context.takeUnretainedValue()
            if let error = state.rebalanceError ?? state.fatal.map({ KafkaError("fatal Kafka error: \($0.message)") }) {
                state.rebalanceError = nil
                if let message { rd_kafka_message_destroy(message) }
                throw error
            }
            for error in state.clientErrors { onTransientError(error) }
            state.clientErrors.removeAll()
            guard let message else {
                if !records.isEmpty { break }  // nothing more queued: hand over what we have
                continue
            }
            defer { rd_kafka_message_destroy(message) }
            let error = message.pointee.err
            if error != RD_KAFKA_RESP_ERR_NO_ERROR {
                var reason = [CChar](repeating: 0, count: 512)
                if rd_kafka_fatal_error(handle, &reason, reason.count) != RD_KAFKA_RESP_ERR_NO_ERROR {
                    throw KafkaError("fatal Kafka error: \(KafkaClientConfiguration.text(reason))")
                }
                onTransientError(KafkaError("Kafka", error: error))
                continue
            }
            records.append(Self.record(message))
        }
        return records
    }

    /// Whether a broker answers a metadata request for `topic` within the timeout.
    public func brokersReachable(topic: String, timeoutMilliseconds: Int) -> Bool {
        partitionCount(topic: topic, timeoutMilliseconds: timeoutMilliseconds) != nil
    }

    /// The partitions `topic` has, as a broker says within the timeout: 0 when it does not
    /// exist, nil when no broker answered.
    public func partitionCount(topic: String, timeoutMilliseconds: Int) -> Int? {
        guard let handle = rd_kafka_topic_new(self.handle, topic, nil) else { return nil }
        defer { rd_kafka_topic_destroy(handle) }
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let error = rd_kafka_metadata(self.handle, 0, handle, &metadata, Int32(timeoutMilliseconds))
        defer { if let metadata { rd_kafka_metadata_destroy(metadata) } }
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else { return nil }
        let topics = UnsafeBufferPointer(start: metadata.pointee.topics, count: Int(metadata.pointee.topic_cnt))
        guard let entry = topics.first(where: { String(cString: $0.topic) == topic }), entry.err == RD_KAFKA_RESP_ERR_NO_ERROR else { return 0 }
        return Int(entry.partition_cnt)
    }

    /// Messages between the consumer's position and the end of each of `partitions`, from the
    /// high watermarks the fetches brought (no broker round trip). The position is librdkafka's
    /// (after the last message handed out) or, before any, the caller's `positions` (where it
    /// started the partition). A partition is left out while its end or position is not known
    /// yet; an empty partition has lag 0.
    public func lag(of partitions: Set<KafkaPartition>, positions: [KafkaPartition: Int64] = [:]) -> [KafkaPartition: Int64] {
        guard !partitions.isEmpty, let list = rd_kafka_topic_partition_list_new(Int32(partitions.count)) else { return [:] }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for partition in partitions { rd_kafka_topic_partition_list_add(list, partition.topic, partition.partition) }
        _ = rd_kafka_position(handle, list)
        var lags: [KafkaPartition: Int64] = [:]
        for index in 0..<Int(list.pointee.cnt) {
            let element = list.pointee.elems[index]
            guard let topic = element.topic else { continue }
            let partition = KafkaPartition(topic: String(cString: topic), partition: element.partition)
            var low: Int64 = -1
            var high: Int64 = -1
            guard rd_kafka_get_watermark_offsets(handle, topic, element.partition, &low, &high) == RD_KAFKA_RESP_ERR_NO_ERROR,
                  high >= 0 else { continue }
            if let position = element.offset >= 0 ? element.offset : positions[partition] {
                lags[partition] = max(0, high - position)
            } else if low >= 0, low == high {
                lags[partition] = 0
            }
        }
        return lags
    }

    /// Commits next-offsets to the group (asynchronously), for lag tooling; the database holds the
    /// positions that count.
    public func commit(_ positions: [KafkaPartition: Int64]) {
        guard !positions.isEmpty else { return }
        let list = rd_kafka_topic_partition_list_new(Int32(positions.count))
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for (partition, offset) in positions {
            rd_kafka_topic_partition_list_add(list, partition.topic, partition.partition)?.pointee.offset = offset
        }
        _ = rd_kafka_commit(handle, list, 1)
    }

    /// Leaves the group (its partitions go to the other members at once).
    public func close() {
        guard !closed else { return }
        closed = true
        _ = rd_kafka_consumer_close(handle)
    }

    // MARK: C callbacks and copies

    private static func rebalanced(_ handle: OpaquePointer, _ error: rd_kafka_resp_err_t,
                                   _ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>, _ context: Context) {
        let partitions = (0..<Int(list.pointee.cnt)).map { index in
            let element = list.pointee.elems[index]
            return KafkaPartition(topic: String(cString: element.topic), partition: element.partition)
        }
        if error == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS {
            do {
                let positions = try context.handler.positions(partitions)
                for index in 0..<Int(list.pointee.cnt) {
                    let partition = partitions[index]
                    list.pointee.elems[index].offset = positions[partition] ?? Int64(RD_KAFKA_OFFSET_STORED)
                }
            } catch {
                // Without the stored positions we cannot know where to start: take nothing and
                // let the poll loop report it.
                context.rebalanceError = error
                _ = rd_kafka_assign(handle, nil)
                context.assignment = []
                return
            }
            _ = rd_kafka_assign(handle, list)
            context.assignment.formUnion(partitions)
        } else {
            context.handler.revoked(partitions)
            _ = rd_kafka_assign(handle, nil)
            context.assignment.subtract(partitions)
        }
    }

    private static func record(_ message: UnsafeMutablePointer<rd_kafka_message_t>) -> KafkaRecord {
        let m = message.pointee
        let topic = m.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
        let key = m.key.map { Array(UnsafeRawBufferPointer(start: $0, count: m.key_len)) }
        let value = m.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: m.len)) } ?? []
        var headers: [(name: String, value: [UInt8]?)] = []
        var list: OpaquePointer?
        if rd_kafka_message_headers(message, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list {
            var index = 0
            var name: UnsafePointer<CChar>?
            var bytes: UnsafeRawPointer?
            var size = 0
            while rd_kafka_header_get_all(list, index, &name, &bytes, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
                if let name {
                    headers.append((String(cString: name), bytes.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }))
                }
                index += 1
            }
        }
        return KafkaRecord(topic: topic, partition: m.partition, offset: m.offset, key: key, value: value, headers: headers)
    }
}
