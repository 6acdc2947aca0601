import Foundation
import SparkLedgerKafka
import Testing

/// The broker `script/test` starts (script/kafka-test-broker): its address, or a failure that
/// says how to get one. librdkafka must be ≥ 2.2 at run time to talk to Tansu.
enum TestBroker {
    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    static func address() throws -> String {
        guard let address = ProcessInfo.processInfo.environment["SPARKLEDGER_TEST_KAFKA"], !address.isEmpty else {
            throw Missing(description: "SPARKLEDGER_TEST_KAFKA is not set: run the tests with script/test, which starts a broker (or `source script/kafka-test-broker` first)")
        }
        guard KafkaAdmin.libraryVersion >= 0x0202_00FF else {
            throw Missing(description: "librdkafka \(KafkaAdmin.libraryVersionText) is loaded; the test broker needs ≥ 2.2: put .build-kafka/lib first on LD_LIBRARY_PATH (script/kafka-test-broker does)")
        }
        return address
    }

    /// Client settings that make group joins take ~1 s on Tansu instead of ~23 s.
    static func client() throws -> KafkaClientConfiguration {
        KafkaClientConfiguration(brokers: try address(), options: ["session.timeout.ms": "2000", "heartbeat.interval.ms": "500"])
    }

    /// A topic name no other test uses.
    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }
}
