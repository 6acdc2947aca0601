import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import SparkLedgerCore
import SparkLedgerIngest
import SparkLedgerKafka
import SparkLedgerStorage
import Synchronization

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Consume ExecutionEvents from Kafka into the store, exactly once, until SIGTERM or SIGINT.",
        discussion: """
            Joins the consumer group and, for each batch (up to --batch-records records or
            --batch-ms milliseconds), appends the events, updates the projections and stores the
            consumed offsets in one database transaction. A newly assigned partition starts from
            the offset stored in the database, else the group's committed offset, else the
            earliest: a crash at any moment neither loses nor applies an event twice. Offsets are
            also committed to Kafka after each transaction, for lag tooling. Bad messages go to the
            quarantine with their topic, partition, offset and key; they never stop the consumer.
            Several `serve` processes with the same --group split the partitions. Unreachable
            brokers never stop it: it logs, reports not ready and resumes when they answer.
            SIGTERM or SIGINT: the batch in flight commits, the process leaves the group and
            exits 0.

            Examples:
              sparkledger serve --brokers kafka-1:9092,kafka-2:9092
              sparkledger serve --brokers 127.0.0.1:9092 --topic sk8.execution-events --group sparkledger --db /var/lib/sparkledger/h.db
              sparkledger serve --brokers broker:9093 --kafka-option security.protocol=ssl --kafka-option ssl.ca.location=/etc/ca.pem
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var kafka: KafkaOptions

    @Option(help: "Consumer group.")
    var group: String = "sparkledger"

    @Option(help: "Records per transaction at most.")
    var batchRecords: Int = 5_000

    @Option(name: .customLong("batch-ms"), help: "Milliseconds to gather a batch at most.")
    var batchMilliseconds: Int = 500

    func validate() throws {
        guard batchRecords >= 1 else { throw ValidationError("--batch-records must be at least 1, got \(batchRecords).") }
        guard batchMilliseconds >= 1 else { throw ValidationError("--batch-ms must be at least 1, got \(batchMilliseconds).") }
        _ = try kafka.client()
    }

    func run() throws {
        try runBlocking { try await serve() }
    }

    private func serve() async throws {
        try await reportingFailures {
            let eventStore = try store.open()
            let configuration = KafkaIngestConfiguration(
                client: try kafka.client(), topic: kafka.topic, group: group,
                batchRecords: batchRecords, batchMilliseconds: batchMilliseconds)
            let lastReport = Mutex(ContinuousClock.now)
            let ingest = KafkaIngestService(store: eventStore, configuration: configuration, log: Log.line) { totals in
                let due = lastReport.withLock { last in
                    guard ContinuousClock.now - last >= .seconds(10) else { return false }
                    last = ContinuousClock.now
                    return true
                }
                if due { Log.line(Self.summary(totals)) }
            }
            var logger = Logger(label: "sparkledger.serve")
            logger.logLevel = .warning
            let services = ServiceGroup(configuration: ServiceGroupConfiguration(
                services: [.init(service: ingest, successTerminationBehavior: .gracefullyShutdownGroup)],
                gracefulShutdownSignals: [], cancellationSignals: [], logger: logger))
            ShutdownSignals.shared.onSignal { number in
                Log.line("\(ShutdownSignals.name(number)): finishing the batch in flight and leaving the group")
                Task { await services.triggerGracefulShutdown() }
            }
            Log.line("consuming \(configuration.topic) from \(configuration.client.brokers) as group \(group) into \(eventStore.path)")
            do {
                try await services.run()
            } catch let error as KafkaError {
                throw CommandFailure("Kafka: \(error.message)")
            } catch let error as ServiceGroupError {
                throw CommandFailure("serve: \(error)")
            }
            Log.line("stopped; " + Self.summary(ingest.status.snapshot.totals))
        }
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
