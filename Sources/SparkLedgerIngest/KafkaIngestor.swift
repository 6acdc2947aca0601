import Foundation
import SparkLedgerCore
import SparkLedgerKafka
import SparkLedgerStorage

/// How `serve` consumes.
public struct KafkaIngestConfiguration: Sendable {
    public var client: KafkaClientConfiguration
    public var topic: String
    public var group: String
    /// A batch (one transaction) ends after this many records or this long, whichever comes first.
    public var batchRecords: Int
    public var batchMilliseconds: Int
    public var decoder: KafkaRecordDecoder
    public var clock: @Sendable () -> Int64

    public init(client: KafkaClientConfiguration, topic: String = "sk8.execution-events", group: String = "sparkledger",
                batchRecords: Int = 5_000, batchMilliseconds: Int = 500, decoder: KafkaRecordDecoder = KafkaRecordDecoder(),
                clock: @escaping @Sendable () -> Int64 = StoreConfiguration.systemClock) {
        self.client = client
        self.topic = topic
        self.group = group
        self.batchRecords = batchRecords
        self.batchMilliseconds = batchMilliseconds
        self.decoder = decoder
        self.clock = clock
    }
}

/// Totals of a `serve` run so far.
public struct KafkaIngestTotals: Sendable, Equatable {
    public var records = 0
    public var batches = 0
    public var outcome = AppendOutcome()
    /// Records whose key was missing or differed from the envelope's execution_id.
    public var keyMismatches = 0
    public var assignment: [KafkaPartition] = []

    public init() {}
}

/// Consumes ExecutionEvents from Kafka into the store with exactly-once effect: each batch's
/// events, projections and next offsets commit in one database transaction; on assignment the
/// consumer starts from the offsets stored there; records below a stored offset are skipped.
/// Offsets are committed to Kafka after the transaction too, for lag tooling.
public final class KafkaIngestor {
    private let store: SQLiteEventStore
    private let configuration: KafkaIngestConfiguration

    public init(store: SQLiteEventStore, configuration: KafkaIngestConfiguration) {
        self.store = store
        self.configuration = configuration
    }

    /// Consumes until `stop` becomes true, then finishes the batch in flight, leaves the group
    /// and returns. Runs on the calling thread (it blocks: never call it on the cooperative pool).
    /// `log` gets one line per notable thing (assignment, broker trouble, batch totals).
    public func run(stop: StopRequest, log: (String) -> Void, progress: (KafkaIngestTotals) -> Void = { _ in }) throws -> KafkaIngestTotals {
        let store = self.store
        let consumer = try KafkaConsumer(
            client: configuration.client, group: configuration.group, topics: [configuration.topic],
            rebalance: KafkaRebalanceHandler(positions: { partitions in
                var positions: [KafkaPartition: Int64] = [:]
                for partition in partitions {
                    let source = IngestCheckpoint.kafkaSource(topic: partition.topic, partition: partition.partition)
                    if let stored = try store.checkpoint(source: source) { positions[partition] = stored.position }
                }
                return positions
            }))
        var totals = KafkaIngestTotals()
        var lastAssignment: Set<KafkaPartition> = []
        var lastTrouble: String?
        var troubleLogged = ContinuousClock.now - .seconds(60)
        defer { consumer.close() }
        while !stop.isRequested {
            let records = try consumer.poll(maxRecords: configuration.batchRecords, timeoutMilliseconds: configuration.batchMilliseconds) { error in
                // librdkafka reconnects by itself; say so once in a while, not per retry.
                if error.message != lastTrouble || ContinuousClock.now - troubleLogged > .seconds(30) {
                    log("Kafka unavailable, retrying: \(error.message)")
                    lastTrouble = error.message
                    troubleLogged = ContinuousClock.now
                }
            }
            let assignment = consumer.assignment
            if assignment != lastAssignment {
                let sorted = assignment.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
                log("assigned \(sorted.isEmpty ? "no partitions" : sorted.map(\.description).joined(separator: ", "))")
                lastAssignment = assignment
                totals.assignment = sorted
            }
            // Records of partitions taken away during the poll belong to another member now.
            let owned = records.filter { assignment.contains($0.topicPartition) }
            guard !owned.isEmpty else { continue }
            if lastTrouble != nil {
                log("Kafka is back")
                lastTrouble = nil
            }
            let ingestTime = configuration.clock()
            var items: [IngestItem] = []
            items.reserveCapacity(owned.count)
            var next: [KafkaPartition: Int64] = [:]
            for record in owned {
                let decoded = configuration.decoder.decode(record, ingestTime: ingestTime)
                items.append(decoded.item)
                if decoded.keyMismatch { totals.keyMismatches += 1 }
                next[record.topicPartition] = max(next[record.topicPartition] ?? 0, record.offset + 1)
            }
            let checkpoints = next.map { IngestCheckpoint(source: IngestCheckpoint.kafkaSource(topic: $0.key.topic, partition: $0.key.partition), position: $0.value) }
            let outcome = try store.append(IngestBatch(items: items, checkpoints: checkpoints))
            consumer.commit(next)
            totals.records += owned.count
            totals.batches += 1
            totals.outcome.add(outcome)
            progress(totals)
        }
        return totals
    }
}
