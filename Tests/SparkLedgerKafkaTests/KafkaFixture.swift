import Foundation
import SparkLedgerCore
import SparkLedgerIngest
import SparkLedgerKafka
import SparkLedgerStorage
import SparkLedgerSynthetic
import SparkLedgerTestSupport
import Testing

/// A generated history with duplicates and bad lines, in a file, published to a fresh topic.
struct PublishedHistory {
    let directory = TemporaryDirectory("sparkledger-kafka")
    let topic = TestBroker.uniqueName("events")
    let partitions: Int32 = 3
    let client: KafkaClientConfiguration
    let file: String
    let lines: Int
    /// Lines that are not envelopes (published without a key).
    static let badLines = ["not json at all", #"{"event_id":"x"}"#, "[1,2,3]"]

    /// Publishing `encoding: .protobuf` sends the envelopes as protobuf messages (and lines with
    /// no protobuf form as JSON); `sentAsJSON` counts those.
    let sentAsJSON: Int

    /// `client: nil` publishes to the broker script/test started; `publishNow: false` leaves
    /// publishing to `publish(to:)` (for tests whose broker is not up yet).
    init(executions: Int, seed: UInt64, encoding: KafkaEventEncoding = .json, publishNow: Bool = true) throws {
        client = try TestBroker.client()
        var generator = HistoryGenerator(HistoryConfiguration(executions: executions, seed: seed, duplicateRate: 0.03, invalidRate: 0.02))
        var bytes: [UInt8] = []
        var count = 0
        generator.generate { line in
            bytes += line
            bytes.append(0x0A)
            count += 1
        }
        for bad in Self.badLines {
            bytes += Array(bad.utf8)
            bytes.append(0x0A)
        }
        lines = count + Self.badLines.count
        file = directory.write("history.ndjson", bytes)
        sentAsJSON = publishNow ? try Self.publish(file, lines: lines, topic: topic, partitions: partitions, to: client, encoding: encoding) : 0
    }

    /// Creates the topic on the broker of `client` and publishes the file to it, in file order
    /// (so a republish to an empty broker gives every record its former offset).
    func publish(to client: KafkaClientConfiguration) throws {
        _ = try Self.publish(file, lines: lines, topic: topic, partitions: partitions, to: client, encoding: .json)
    }

    /// Creates the topic and publishes the file's first `count` lines, in file order: each gets
    /// the partition and offset it gets when the whole file is published.
    func publishFirst(_ count: Int, to client: KafkaClientConfiguration) throws {
        let prefix = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            .prefix(count).joined(separator: "\n") + "\n"
        let prefixFile = directory.write("history-first-\(count).ndjson", Array(prefix.utf8))
        _ = try Self.publish(prefixFile, lines: count, topic: topic, partitions: partitions, to: client, encoding: .json)
    }

    private static func publish(_ file: String, lines: Int, topic: String, partitions: Int32, to client: KafkaClientConfiguration,
                                encoding: KafkaEventEncoding) throws -> Int {
        // The tests' client carries consumer-group timings, which producers would warn about.
        let producer = KafkaClientConfiguration(brokers: client.brokers)
        // 30 s, not the CLI's 10: the suite runs many servers and `serve`s at once on two cores,
        // and a just-started broker once took longer than 10 s to answer under that load.
        try KafkaAdmin.createTopic(topic, partitions: partitions, client: producer, timeoutMilliseconds: 30_000)
        let report = try KafkaEventPublisher(client: producer, topic: topic, encoding: encoding).publish([file])
        #expect(report.messages == lines)
        return report.sentAsJSON
    }

    func store(_ name: String) throws -> SQLiteEventStore {
        try SQLiteEventStore(StoreConfiguration(path: directory.file(name)))
    }

    /// The next offsets stored in `store`, summed over the partitions: every message is
    /// applied when this equals `lines`.
    func appliedMessages(_ store: SQLiteEventStore) throws -> Int64 {
        try Self.appliedMessages(store, topic: topic, partitions: partitions)
    }

    static func appliedMessages(_ store: SQLiteEventStore, topic: String, partitions: Int32) throws -> Int64 {
        try (0..<partitions).reduce(0) { sum, partition in
            sum + (try store.checkpoint(source: IngestCheckpoint.kafkaSource(topic: topic, partition: partition))?.position ?? 0)
        }
    }

    /// What `ingest` of the same file gives.
    func ingested() throws -> (store: SQLiteEventStore, report: IngestReport) {
        let store = try store("ingested.db")
        return (store, try FileIngestor(store: store).ingest([file]))
    }
}

/// Snapshots in a comparable order (keys depend on arrival order, ids do not).
func snapshots(_ store: SQLiteEventStore) throws -> [ExecutionSnapshot] {
    try store.executions(ExecutionFilter()).map(\.snapshot).sorted { $0.executionID < $1.executionID }
}

/// Every stored event, by event_id (the log's order across partitions depends on timing).
func storedEvents(_ store: SQLiteEventStore) throws -> [ExecutionEvent] {
    var events: [ExecutionEvent] = []
    try store.forEachEvent { _, event in events.append(event) }
    return events.sorted { $0.eventID < $1.eventID }
}

/// Consumes with `KafkaIngestService` until the store holds `messages` applied messages (or 180 s
/// pass: a guard, not a speed test — on a loaded machine other tests may hold the cooperative pool
/// for a minute, and the consumer's loop runs on it).
func consume(_ history: PublishedHistory, into store: SQLiteEventStore, group: String, messages: Int64,
             batchRecords: Int = 500, metrics: IngestMetrics = IngestMetrics(input: "kafka")) async throws -> KafkaIngestTotals {
    try await consumeWithStatus(history, into: store, group: group, messages: messages, batchRecords: batchRecords, metrics: metrics).totals
}

/// `consume`, returning the service's whole status at the end.
func consumeWithStatus(_ history: PublishedHistory, into store: SQLiteEventStore, group: String, messages: Int64,
                       batchRecords: Int = 500, metrics: IngestMetrics = IngestMetrics(input: "kafka")) async throws -> KafkaIngestStatus.Snapshot {
    let configuration = KafkaIngestConfiguration(client: history.client, topic: history.topic, group: group,
                                                 batchRecords: batchRecords, batchMilliseconds: 200, metrics: metrics)
    let started = ContinuousClock.now
    let (topic, partitions) = (history.topic, history.partitions)
    let stopper = StopRequest()
    let service = KafkaIngestService(store: store, configuration: configuration, log: { _ in }) { _ in
        if (try? PublishedHistory.appliedMessages(store, topic: topic, partitions: partitions)) ?? 0 >= messages {
            stopper.request()
        }
    }
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await service.run() }
        group.addTask {
            while !stopper.isRequested, ContinuousClock.now - started < .seconds(180) { try await Task.sleep(for: .milliseconds(20)) }
            service.stop()
        }
        try await group.waitForAll()
    }
    return service.status.snapshot
}
