import ArgumentParser
import SparkLedgerIngest
import SparkLedgerKafka

extension KafkaEventEncoding: ExpressibleByArgument {}

struct ProduceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "produce",
        abstract: "Publish events from NDJSON or zstd-compressed NDJSON files to Kafka, keyed by execution_id.",
        discussion: """
            Sends every non-blank line as one message (idempotent producer, zstd
            compression), keyed by the envelope's execution_id so that an execution's
            events share a partition. Lines that are not envelopes are sent without a key:
            judging them is the consumer's job. --encoding protobuf sends ExecutionEvent
            messages (schemas/execution_event.proto, header content-type:
            application/x-protobuf); a line with no exact protobuf form is sent as JSON
            and counted. For backfills, demos and tests.

            Examples:
              sparkledger produce history.ndjson.zst --brokers 127.0.0.1:9092
              sparkledger generate --executions 1000 | sparkledger produce - --brokers kafka:9092 --topic sk8.execution-events
              sparkledger produce replay/ --brokers 127.0.0.1:9092 --create-topic 6
              sparkledger produce history.ndjson --brokers 127.0.0.1:9092 --encoding protobuf
            """
    )

    @Argument(help: ArgumentHelp("Event files (.ndjson, .ndjson.zst), `-` for standard input, or export directories.", valueName: "file"))
    var files: [String]

    @OptionGroup var kafka: KafkaOptions

    @Option(help: ArgumentHelp("Create the topic first with this many partitions (an existing topic is left as it is).", valueName: "partitions"))
    var createTopic: Int32?

    @Option(help: ArgumentHelp("Record encoding: json or protobuf.", valueName: "encoding"))
    var encoding: KafkaEventEncoding = .json

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("Name at least one file to publish, or `-` for standard input.") }
        if let createTopic, createTopic < 1 { throw ValidationError("--create-topic must be at least 1 partition, got \(createTopic).") }
        _ = try kafka.client()
    }

    func run() throws {
        try reportingFailures {
            let client = try kafka.client()
            do {
                if let createTopic { try KafkaAdmin.createTopic(kafka.topic, partitions: createTopic, client: client) }
                let publisher = try KafkaEventPublisher(client: client, topic: kafka.topic, encoding: encoding)
                let report = try publisher.publish(files)
                let output = StandardOutput()
                output.line("published \(Formatting.count(report.messages)) messages to \(kafka.topic)"
                    + (report.withoutKey > 0 ? " (\(Formatting.count(report.withoutKey)) without a key: not envelopes)" : "")
                    + (report.sentAsJSON > 0 ? "; \(Formatting.count(report.sentAsJSON)) as JSON: no exact protobuf form" : "")
                    + (report.oversized > 0 ? "; skipped \(Formatting.count(report.oversized)) lines over the 1 MiB limit" : ""))
            } catch let error as KafkaError {
                throw CommandFailure("Kafka: \(error.message)")
            }
        }
    }
}
