import ArgumentParser
import SparkLedgerKafka

/// `--brokers`, `--topic`, `--kafka-option`: shared by `serve` and `produce`.
struct KafkaOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Kafka bootstrap servers.", valueName: "host:port[,host:port…]"))
    var brokers: String

    @Option(help: "Topic of ExecutionEvents.")
    var topic: String = "sk8.execution-events"

    @Option(name: .customLong("kafka-option"), help: ArgumentHelp("A librdkafka property, repeatable.", valueName: "key=value"))
    var kafkaOptions: [String] = []

    func client() throws -> KafkaClientConfiguration {
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
