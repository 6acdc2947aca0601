import CRdKafka
import Foundation

/// An idempotent, zstd-compressing producer. Not thread-safe: one thread sends and flushes
/// (delivery reports are served by the same calls).
public final class KafkaProducer {
    /// Delivery reports, counted by the C callback through the client's opaque pointer.
    final class Deliveries {
        var delivered = 0
        var failed = 0
        var firstFailure: String?
    }

    private let handle: OpaquePointer
    private let deliveries: Unmanaged<Deliveries>

    public static let defaults: [(String, String)] = [
        ("enable.idempotence", "true"),
        ("compression.type", "zstd"),
        ("linger.ms", "20"),
        ("client.id", "sparkledger"),
        // The Java client's key hash, so that we place keys where the platform's other producers
        // do; keyless records (lines that are not envelopes) all go to one partition, so that
        // publishing a file twice gives every record the same partition and offset.
        ("partitioner", "murmur2"),
    ]

    public init(client: KafkaClientConfiguration) throws(KafkaError) {
        let conf = try client.makeConf(defaults: Self.defaults)
        let deliveries = Unmanaged.passRetained(Deliveries())
        rd_kafka_conf_set_opaque(conf, deliveries.toOpaque())
        rd_kafka_conf_set_dr_msg_cb(conf) { _, message, opaque in
            guard let message, let opaque else { return }
            let counts = Unmanaged<Deliveries>.fromOpaque(opaque).takeUnretainedValue()
            if message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR {
                counts.delivered += 1
            } else {
                counts.failed += 1
                if counts.firstFailure == nil { counts.firstFailure = String(cString: rd_kafka_err2str(message.pointee.err)) }
            }
        }
        do {
            handle = try KafkaClientConfiguration.makeHandle(RD_KAFKA_PRODUCER, conf: conf)
        } catch {
            deliveries.release()
            throw error
        }
        self.deliveries = deliveries
    }

    deinit {
        _ = rd_kafka_flush(handle, 5_000)
        rd_kafka_destroy(handle)
        deliveries.release()
    }

    public var delivered: Int { deliveries.takeUnretainedValue().delivered }
    public var failed: Int { deliveries.takeUnretainedValue().failed }

    /// Queues one message; waits while librdkafka's queue is full.
    public func send(topic: String, key: [UInt8]?, value: [UInt8], headers: [(name: String, value: String)] = []) throws(KafkaError) {
        while true {
            let error = produce(topic: topic, key: key, value: value, headers: headers)
            guard let error else { break }
            let code = rd_kafka_error_code(error)
            let text = String(cString: rd_kafka_error_string(error))
            rd_kafka_error_destroy(error)
            guard code == RD_KAFKA_RESP_ERR__QUEUE_FULL else { throw KafkaError("cannot produce to \(topic): \(text)", code: code.rawValue) }
            rd_kafka_poll(handle, 100)
        }
        rd_kafka_poll(handle, 0)
    }

    /// Waits until every queued message is delivered or has failed; throws if any failed.
    public func flush(timeoutMilliseconds: Int32 = 30_000) throws(KafkaError) {
        let error = rd_kafka_flush(handle, timeoutMilliseconds)
        if error != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError("\(rd_kafka_outq_len(handle)) messages not delivered after \(timeoutMilliseconds) ms", error: error)
        }
        let counts = deliveries.takeUnretainedValue()
        if counts.failed > 0 {
            throw KafkaError("\(counts.failed) messages were not delivered: \(counts.firstFailure ?? "unknown error")")
        }
    }

    private func produce(topic: String, key: [UInt8]?, value: [UInt8], headers: [(name: String, value: String)]) -> OpaquePointer? {
        // C strings that must outlive the call; librdkafka copies everything (RD_KAFKA_MSG_F_COPY).
        var strings: [UnsafeMutablePointer<CChar>] = []
        defer { strings.forEach { free($0) } }
        func cString(_ text: String) -> UnsafeMutablePointer<CChar>? {
            let copy = strdup(text)
            if let copy { strings.append(copy) }
            return copy
        }
        return value.withUnsafeBytes { valueBytes in
            (key ?? []).withUnsafeBytes { keyBytes in
                var fields: [rd_kafka_vu_t] = []
                var field = rd_kafka_vu_t()
                field.vtype = RD_KAFKA_VTYPE_TOPIC
                field.u.cstr = UnsafePointer(cString(topic))
                fields.append(field)
                field = rd_kafka_vu_t()
                field.vtype = RD_KAFKA_VTYPE_VALUE
                field.u.mem.ptr = UnsafeMutableRawPointer(mutating: valueBytes.baseAddress)
                field.u.mem.size = valueBytes.count
                fields.append(field)
                if key != nil {
                    field = rd_kafka_vu_t()
                    field.vtype = RD_KAFKA_VTYPE_KEY
                    field.u.mem.ptr = UnsafeMutableRawPointer(mutating: keyBytes.baseAddress)
                    field.u.mem.size = keyBytes.count
                    fields.append(field)
                }
                for header in headers {
                    field = rd_kafka_vu_t()
                    field.vtype = RD_KAFKA_VTYPE_HEADER
                    field.u.header.name = UnsafePointer(cString(header.name))
                    field.u.header.val = UnsafeRawPointer(cString(header.value))
                    field.u.header.size = header.value.utf8.count
                    fields.append(field)
                }
                field = rd_kafka_vu_t()
                field.vtype = RD_KAFKA_VTYPE_MSGFLAGS
                field.u.i = RD_KAFKA_MSG_F_COPY
                fields.append(field)
                return rd_kafka_produceva(handle, fields, fields.count)
            }
        }
    }
}
