import Dispatch
import Synchronization
import ServiceLifecycle
import SparkLedgerCore
import SparkLedgerKafka
import SparkLedgerStorage

/// How `serve` consumes.
public struct KafkaIngestConfiguration: Sendable {
    public var client: KafkaClientConfiguration
    public var topic: String
    public var group: String
    /// A batch ends after this many records or this long, whichever comes first. Each commits with
    /// its offsets, in a transaction of its own or, under a backlog, with the batches after it.
    public var batchRecords: Int
    public var batchMilliseconds: Int
    /// A transaction ends once it holds this many records (checked between batches) or after
    /// two seconds, whichever comes first.
    public var transactionRecords: Int
    /// While the brokers are unreachable, how often to ask whether they are back.
    public var probeMilliseconds: Int
    public var decoder: KafkaRecordDecoder
    public var clock: @Sendable () -> Int64
    public var metrics: IngestMetrics

    public init(client: KafkaClientConfiguration, topic: String = "sk8.execution-events", group: String = "sparkledger",
                batchRecords: Int = 20_000, batchMilliseconds: Int = 500, transactionRecords: Int = 100_000,
                probeMilliseconds: Int = 2_000,
                decoder: KafkaRecordDecoder = KafkaRecordDecoder(),
                clock: @escaping @Sendable () -> Int64 = StoreConfiguration.systemClock,
                metrics: IngestMetrics = IngestMetrics(input: "kafka")) {
        self.client = client
        self.topic = topic
        self.group = group
        self.batchRecords = batchRecords
        self.batchMilliseconds = batchMilliseconds
        self.transactionRecords = transactionRecords
        self.probeMilliseconds = probeMilliseconds
        self.decoder = decoder
        self.clock = clock
        self.metrics = metrics
    }
}

/// Consumes ExecutionEvents from Kafka into the store with exactly-once effect, as a Service:
/// each batch's events, projections and next offsets commit in one database transaction (which
/// may hold the next batches too, when they were decoded while the writer worked); on
/// assignment the consumer starts from the offsets stored there; records below a stored offset
/// are skipped. Offsets are committed to Kafka after the transaction too, for lag tooling.
///
/// Graceful shutdown (or `stop()`) ends it after the batch in flight commits; it then leaves the
/// group. Broker trouble never ends it: librdkafka reconnects with backoff while this logs and
/// reports not-ready in `status`.
public final class KafkaIngestService: Service, Sendable {
    private let store: SQLiteEventStore
    private let configuration: KafkaIngestConfiguration
    private let log: @Sendable (String) -> Void
    private let progress: @Sendable (KafkaIngestTotals) -> Void
    private let stopRequest = StopRequest()
    public let status = KafkaIngestStatus()
    /// The next offset to apply of each partition, as far as this member knows it: where it
    /// started a partition (stored offsets) and where its last batch ended.
    private let positions = PartitionPositions()
    /// The store writer: one transaction at a time, in order.
    private let writer = DispatchQueue(label: "sparkledger.store-writer")
    /// Decoded batches waiting for the writer (at most `WriterHandoff.capacity`).
    private let handoff = WriterHandoff()
    /// Batches the writer has appended, freed by the consumer's loop.
    private let spent = SpentBatches()
    /// Entered while a transaction is queued or running: a rebalance waits for it before
    /// reading the stored offsets, so a partition handed back never starts behind its last batch.
    private let appending = DispatchGroup()

    /// - Parameters:
    ///   - log: one line per notable thing: assignment, readiness, broker trouble.
    ///   - progress: called after each committed batch.
    public init(store: SQLiteEventStore, configuration: KafkaIngestConfiguration, log: @escaping @Sendable (String) -> Void,
                progress: @escaping @Sendable (KafkaIngestTotals) -> Void = { _ in }) {
        self.store = store
        self.configuration = configuration
        self.log = log
        self.progress = progress
    }

    /// Ends `run()` after the batch in flight, as a graceful shutdown does.
    public func stop() { stopRequest.request() }

    public func run() async throws {
        let store = self.store
        let known = self.positions
        let consumer = try await AsyncKafkaConsumer(
            client: configuration.client, group: configuration.group, topics: [configuration.topic],
            rebalance: KafkaRebalanceHandler(positions: { [appending] partitions in
                appending.wait()
                var positions: [KafkaPartition: Int64] = [:]
                for partition in partitions {
                    let source = IngestCheckpoint.kafkaSource(topic: partition.topic, partition: partition.partition)
                    if let stored = try store.checkpoint(source: source) { positions[partition] = stored.position }
                }
                known.merge(positions)
                return positions
            }))
        status.update { $0.started = true }
        do {
            try await withGracefulShutdownHandler {
                try await consume(consumer)
            } onGracefulShutdown: { [stopRequest] in
                stopRequest.request()
            }
        } catch {
            await consumer.close()
            throw error
        }
        await consumer.close()
    }

    /// A member that came back from broker trouble owning nothing, while the topic has partitions,
    /// leaves and rejoins the group once: when the group formed again while the topic was missing
    /// (a broker that lost it in a restart, a topic deleted and created again), librdkafka 2.16
    /// does not rejoin when it reappears with its former partition count, and would wait forever
    /// (seen with `debug=cgrp`). The grace lets an ordinary rebalance finish first; in a group with
    /// more members than partitions it costs one extra rebalance after the outage. Returns whether
    /// it rejoined.
    private func rejoinIfOrphaned(_ consumer: AsyncKafkaConsumer, since: ContinuousClock.Instant) async throws -> Bool {
        guard ContinuousClock.now - since >= .milliseconds(configuration.probeMilliseconds * 2),
              let partitions = await consumer.partitionCount(topic: configuration.topic, timeoutMilliseconds: 1_000), partitions > 0 else {
            return false
        }
        log("\(configuration.topic) has \(partitions) partition(s) but none is assigned here since Kafka came back: rejoining the group")
        try await consumer.resubscribe()
        return true
    }

    /// Polls and decodes the next batches while the writer applies the previous one: up to
    /// `WriterHandoff.capacity` decoded batches wait for the writer, which takes them into its
    /// open transaction; transactions commit in poll order, each with its offsets.
    private func consume(_ consumer: AsyncKafkaConsumer) async throws {
        let trouble = BrokerTroubleLog(status: status, log: log)
        var lastReadiness: KafkaIngestStatus.Snapshot.NotReady? = .starting
        var lastProbe = ContinuousClock.now
        /// Since when this member, back from broker trouble, owns no partition (see `rejoinIfOrphaned`).
        var orphanedSince: ContinuousClock.Instant?
        /// The last writer started; each waits for the one before, so transactions apply in
        /// poll order.
        var inFlight: Task<Void, any Error>?
        let batches = consumer.batches(maxRecords: configuration.batchRecords, timeoutMilliseconds: configuration.batchMilliseconds,
                                       stop: stopRequest, onTransientError: { trouble.report($0) })
        for try await batch in batches {
            let received = ContinuousClock.now
            let assignment = batch.assignment.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
            if assignment != status.snapshot.totals.assignment {
                log("assigned \(assignment.isEmpty ? "no partitions" : assignment.map(\.description).joined(separator: ", "))")
                status.update { $0.totals.assignment = assignment }
            }
            // Only a broker's answer says they are back, asked now and then: records prove
            // nothing, librdkafka goes on handing out what it fetched before they went away.
            if status.snapshot.brokerTrouble != nil, ContinuousClock.now - lastProbe >= .milliseconds(configuration.probeMilliseconds) {
                lastProbe = ContinuousClock.now
                if await consumer.brokersReachable(topic: configuration.topic, timeoutMilliseconds: 1_000) {
                    trouble.resolved()
                    if assignment.isEmpty { orphanedSince = ContinuousClock.now }
                }
            }
            if !assignment.isEmpty {
                orphanedSince = nil
            } else if let since = orphanedSince, ContinuousClock.now - lastProbe >= .milliseconds(configuration.probeMilliseconds) {
                lastProbe = ContinuousClock.now
                if try await rejoinIfOrphaned(consumer, since: since) { orphanedSince = nil }
            }
            let readiness = status.snapshot.notReady
            if !KafkaIngestStatus.Snapshot.NotReady.sameKind(readiness, lastReadiness) {
                log(readiness.map { "not ready: \($0)" } ?? "ready: consuming \(assignment.count) partition(s)")
            }
            lastReadiness = readiness
            // Records of partitions taken away during the poll belong to another member now.
            let owned = batch.records.filter { batch.assignment.contains($0.topicPartition) }
            guard !owned.isEmpty else {
                // Nothing new: let the batch in flight land, then report the lag.
                try await inFlight?.value
                inFlight = nil
                await updateLag(consumer, batch.assignment)
                continue
            }
            _ = spent.take()  // freed here, on this side, not on the writer
            // A bounded number of decoded batches wait: decode this one once there is room.
            while handoff.isFull {
                try await Task.sleep(for: .milliseconds(2))
            }
            if handoff.hasFailed {
                try await inFlight?.value  // throws the writer's error
            }
            let (items, next, keyMismatches) = decode(owned)
            let decoded = WriterHandoff.Batch(
                ingest: IngestBatch(items: items, checkpoints: next.map {
                    IngestCheckpoint(source: IngestCheckpoint.kafkaSource(topic: $0.key.topic, partition: $0.key.partition), position: $0.value)
                }),
                receipt: WriterHandoff.Receipt(next: next, records: owned.count, keyMismatches: keyMismatches, received: received,
                                               assignment: batch.assignment))
            if handoff.offer(decoded) == .startWriter {
                // The previous writer is past its last batch (committing, or telling Kafka): the
                // new one starts after it, while this loop polls on.
                appending.enter()
                inFlight = Task { [previous = inFlight] in
                    do {
                        try await previous?.value
                    } catch {
                        self.handoff.writerFailed()
                        self.appending.leave()
                        throw error
                    }
                    let stored = try await self.apply(startingWith: decoded)
                    await self.report(stored, consumer: consumer)
                }
            }
        }
        try await inFlight?.value
        _ = spent.take()
    }

    /// What a writer applied: its batches, without their records (freed once stored).
    struct StoredBatches: Sendable {
        var receipts: [WriterHandoff.Receipt]
        var outcome: AppendOutcome
    }

    /// Applies `first` and every batch handed over meanwhile: events, projections and next
    /// offsets, each transaction all or nothing. Leaves `appending` either way.
    private func apply(startingWith first: WriterHandoff.Batch) async throws -> StoredBatches {
        let store = self.store
        let handoff = self.handoff
        let spent = self.spent
        let transactionRecords = configuration.transactionRecords
        do {
            let stored = try await writer.performBlocking {
                var receipts: [WriterHandoff.Receipt] = []
                var total = AppendOutcome()
                // The batch appended last goes back to the consumer's loop when the next is asked
                // for (the store holds it no longer), so that its events are freed there.
                var previous: IngestBatch?
                defer { if let done = previous.take() { spent.add(done) } }
                try store.appendStream(transactionRecords: transactionRecords, next: {
                    if let done = previous.take() { spent.add(done) }
                    guard let batch = receipts.isEmpty ? first : handoff.takeNext() else { return nil }
                    receipts.append(batch.receipt)
                    previous = batch.ingest
                    return batch.ingest
                }, appended: { total.add($0) })
                return StoredBatches(receipts: receipts, outcome: total)
            }
            appending.leave()
            return stored
        } catch {
            handoff.writerFailed()
            appending.leave()
            throw error
        }
    }

    /// After a commit: tells Kafka the offsets (for lag tooling) and updates metrics and status.
    private func report(_ stored: StoredBatches, consumer: AsyncKafkaConsumer) async {
        let written = stored.receipts
        let outcome = stored.outcome
        var next: [KafkaPartition: Int64] = [:]
        for batch in written {
            configuration.metrics.recordProjectionDelay(ContinuousClock.now - batch.received)
            next.merge(batch.next) { max($0, $1) }
        }
        configuration.metrics.record(outcome)
        await consumer.commit(next)
        positions.merge(next)
        if let assignment = written.last?.assignment { await updateLag(consumer, assignment) }
        status.update {
            $0.totals.records += written.reduce(0) { $0 + $1.records }
            $0.totals.batches += written.count
            $0.totals.keyMismatches += written.reduce(0) { $0 + $1.keyMismatches }
            $0.totals.outcome.add(outcome)
        }
        progress(status.snapshot.totals)
    }

    /// Reads the lag of every owned partition into the status and the self-metrics.
    private func updateLag(_ consumer: AsyncKafkaConsumer, _ assignment: Set<KafkaPartition>) async {
        let lag = await consumer.lag(of: assignment, positions: positions.current)
        configuration.metrics.recordLag(lag)
        status.update { $0.lag = lag.filter { assignment.contains($0.key) } }
    }

    /// Ingest items of a batch's records and the next offset of each partition.
    private func decode(_ records: [KafkaRecord]) -> (items: [IngestItem], next: [KafkaPartition: Int64], keyMismatches: Int) {
        let ingestTime = configuration.clock()
        var items: [IngestItem] = []
        items.reserveCapacity(records.count)
        var next: [KafkaPartition: Int64] = [:]
        var keyMismatches = 0
        // Records come in runs of one partition: its next offset is noted when the run ends.
        var run: (partition: Int32, topic: String, next: Int64)?
        func endRun() {
            guard let run else { return }
            let partition = KafkaPartition(topic: run.topic, partition: run.partition)
            next[partition] = max(next[partition] ?? 0, run.next)
        }
        var tape: JSONTape?
        // An execution's events and the common payloads recur within a batch: one copy of each.
        let recent = RecentValues()
        for record in records {
            let decoded = configuration.decoder.decode(record, ingestTime: ingestTime, tape: &tape, recent: recent)
            items.append(decoded.item)
            if decoded.keyMismatch { keyMismatches += 1 }
            if let current = run, current.partition == record.partition, current.topic == record.topic {
                run?.next = max(current.next, record.offset + 1)
            } else {
                endRun()
                run = (record.partition, record.topic, record.offset + 1)
            }
        }
        endRun()
        return (items, next, keyMismatches)
    }
}

/// Next offsets per partition, shared by the rebalance callback and the consuming loop.
final class PartitionPositions: Sendable {
    private let state = Mutex<[KafkaPartition: Int64]>([:])

    func merge(_ positions: [KafkaPartition: Int64]) {
        state.withLock { $0.merge(positions) { _, new in new } }
    }

    var current: [KafkaPartition: Int64] { state.withLock { $0 } }
}
