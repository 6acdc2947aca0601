import ArgumentParser
import SparkLedgerKafka

/// `--brokers`, `--topic`, `--kafka-option`: shared by `serve` (where --brokers is optional)
/// and `produce`.
struct KafkaOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Kafka bootstrap servers.", valueName: "host:port[,host:port…]"))
    var brokers: String?

    @Option(help: "Topic of ExecutionEvents.")
    var topic: String = "sk8.execution-events"

    @Option(name: .customLong("kafka-option"), help: ArgumentHelp("A librdkafka property, repeatable.", valueName: "key=value"))
    var kafkaOptions: [String] = []

    /// The client configuration; `--brokers` is required here.
    func client() throws -> KafkaClientConfiguration {
        guard let brokers else { throw ValidationError("--brokers is required: the Kafka bootstrap servers, host:port[,host:port…]") }
        var options: [String: String] = [:]
        for text in kafkaOptions {
            do {
                let option = try KafkaClientConfiguration.option(text)
                options[option.key] = option.value
            } catch {
                throw ValidationError(error.message)
            }
        }
        return KafkaClientConfiguration(brokers: brokers, options: options)
    }
}
