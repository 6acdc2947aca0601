import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import SparkLedgerCore
import SparkLedgerHTTP
import SparkLedgerIngest
import SparkLedgerKafka
import SparkLedgerStorage
import Synchronization

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the history over HTTP and, with --brokers, consume ExecutionEvents from Kafka into it, exactly once.",
        discussion: """
            The query API (/api/v1/…), /metrics (Prometheus text), /healthz and /readyz
            listen on --http (default 127.0.0.1:8080); docs/HTTP-API.md and
            schemas/openapi.yaml describe them. Without --brokers, `serve` only serves the
            stored history (point it at a copy of a database to explore it). With
            --brokers it also joins the consumer group and, for each batch (up to
            --batch-records records or --batch-ms milliseconds), appends the events,
            updates the projections and stores the consumed offsets in one database
            transaction (under a backlog, together with the batches decoded meanwhile, up
            to --commit-every records). A newly assigned partition starts from the offset
            stored in the database, else the group's committed offset, else the earliest: a
            crash at any moment neither loses nor applies an event twice. Offsets are also
            committed to Kafka after each transaction, for lag tooling. Bad messages go to
            the quarantine with their topic, partition, offset and key; they never stop the
            consumer. Several `serve` processes with the same --group split the
            partitions. Unreachable brokers never stop it: it logs, reports not ready and
            resumes when they answer. SIGTERM or SIGINT: HTTP stops first, then the batch
            in flight commits, the process leaves the group and exits 0.

            Examples:
              sparkledger serve --db copy-of-history.db --http 127.0.0.1:8080
              sparkledger serve --brokers kafka-1:9092,kafka-2:9092 --http 0.0.0.0:8080
              sparkledger serve --brokers kafka:9092 --otlp-endpoint http://collector:4318/v1/metrics
              sparkledger serve --brokers kafka:9092 --metrics-job-path payments/etl/ledger_daily_rollup
              sparkledger serve --brokers 127.0.0.1:9092 --group sparkledger --db /var/lib/sparkledger/h.db
              sparkledger serve --brokers broker:9093 --kafka-option security.protocol=ssl
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var kafka: KafkaOptions
    @OptionGroup var http: HTTPOptions
    @OptionGroup var otlp: OTLPOptions

    @Option(help: "Consumer group.")
    var group: String = "sparkledger"

    @Option(help: "Records per batch at most (under a backlog a transaction holds several batches).")
    var batchRecords: Int = 20_000

    @Option(name: .customLong("batch-ms"), help: "Milliseconds to gather a batch at most.")
    var batchMilliseconds: Int = 500

    @Option(help: "Records per transaction at most, under a backlog (checked between batches; a transaction also ends every 2 seconds).")
    var commitEvery: Int = 100_000

    func validate() throws {
        guard batchRecords >= 1 else { throw ValidationError("--batch-records must be at least 1, got \(batchRecords).") }
        guard batchMilliseconds >= 1 else { throw ValidationError("--batch-ms must be at least 1, got \(batchMilliseconds).") }
        guard commitEvery >= 1 else { throw ValidationError("--commit-every must be at least 1, got \(commitEvery).") }
        if kafka.brokers != nil { _ = try kafka.client() }
        _ = try http.configuration()
        _ = try otlp.configuration(serviceVersion: "")
    }

    func run() throws {
        try runBlocking { try await serve() }
    }

    private func serve() async throws {
        try await reportingFailures {
            // Without --brokers nothing will ever be written: serving a new, empty file is a mistake.
            let eventStore = try store.open(mustExist: kafka.brokers == nil)
            var logger = Logger(label: "sparkledger.serve")
            logger.logLevel = .warning
            // ServiceGroup stops services in reverse order: HTTP first, then the OTLP pusher (a last
            // push), then the consumer (it commits its batch and leaves the group).
            var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
            var ingest: KafkaIngestService?
            if kafka.brokers != nil {
                let configuration = KafkaIngestConfiguration(
                    client: try kafka.client(), topic: kafka.topic, group: group,
                    batchRecords: batchRecords, batchMilliseconds: batchMilliseconds, transactionRecords: commitEvery)
                let lastReport = Mutex(ContinuousClock.now)
                let consumer = KafkaIngestService(store: eventStore, configuration: configuration, log: Log.line) { totals in
                    let due = lastReport.withLock { last in
                        guard ContinuousClock.now - last >= .seconds(10) else { return false }
                        last = ContinuousClock.now
                        return true
                    }
                    if due { Log.line(Self.summary(totals)) }
                }
                ingest = consumer
                services.append(.init(service: consumer, successTerminationBehavior: .gracefullyShutdownGroup))
                Log.line("consuming \(configuration.topic) from \(configuration.client.brokers) as group \(group) into \(eventStore.path)")
            } else {
                Log.line("serving \(eventStore.path); no --brokers, so nothing is consumed")
            }
            var readiness: ReadinessProbe?
            if let status = ingest?.status {
                readiness = { Self.readiness(status.snapshot) }
            }
            let serving = try HTTPServing.services(store: eventStore, options: http, otlp: otlp, consumerReadiness: readiness, logger: logger)
            services += serving.reversed().map { .init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup) }
            let group = ServiceGroup(configuration: ServiceGroupConfiguration(
                services: services, gracefulShutdownSignals: [], cancellationSignals: [], logger: logger))
            let consuming = ingest != nil
            ShutdownSignals.shared.onSignal { number in
                Log.line("\(ShutdownSignals.name(number)): stopping HTTP" + (consuming ? ", finishing the batch in flight and leaving the group" : ""))
                Task { await group.triggerGracefulShutdown() }
            }
            do {
                try await group.run()
            } catch let error as KafkaError {
                throw CommandFailure("Kafka: \(error.message)")
            } catch let error as ServiceGroupError {
                throw CommandFailure("serve: \(error)")
            } catch {
                throw CommandFailure("serve: " + ((try? http.configuration().listenFailure(error)) ?? "\(error)"))
            }
            Log.line("stopped" + (ingest.map { "; " + Self.summary($0.status.snapshot.totals) } ?? ""))
        }
    }

    /// What /readyz says of the consumer.
    static func readiness(_ snapshot: KafkaIngestStatus.Snapshot) -> Readiness {
        let partitions = snapshot.totals.assignment.map { JSONValue.string($0.description) }
        return Readiness(ready: snapshot.isReady, reason: snapshot.notReady?.description, details: [
            .init("assigned_partitions", .array(partitions)),
            .init("records", .int(Int64(snapshot.totals.records))),
            .init("lag", .object(JSONObject(snapshot.lag.sorted { $0.key.description < $1.key.description }
                .map { JSONObject.Member($0.key.description, .int($0.value)) }))),
            .init("broker_trouble", snapshot.brokerTrouble.map(JSONValue.string) ?? .null),
        ])
    }

    static func summary(_ totals: KafkaIngestTotals) -> String {
        let outcome = totals.outcome
        let quarantined = RejectionReason.allCases.compactMap { reason in
            outcome.quarantined[reason].map { "\(reason.rawValue) \(Formatting.count($0))" }
        }.joined(separator: ", ")
        return "\(Formatting.count(totals.records)) records: \(Formatting.count(outcome.accepted)) accepted, "
            + "\(Formatting.count(outcome.duplicates)) duplicates, \(Formatting.count(outcome.quarantinedTotal)) quarantined"
            + (quarantined.isEmpty ? "" : " (\(quarantined))")
            + ", \(Formatting.count(outcome.alreadyApplied)) already applied, \(Formatting.count(totals.keyMismatches)) with a missing or mismatched key"
    }
}
