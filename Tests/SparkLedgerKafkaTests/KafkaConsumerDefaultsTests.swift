import CRdKafka
@testable import SparkLedgerKafka
import Testing

/// `fetch.queue.backoff.ms` is set only where librdkafka knows it: Debian's 2.0.2 refuses unknown
/// properties, so setting it there would stop `serve` from starting.
@Suite struct KafkaConsumerDefaultsTests {
    private func backoff(_ version: Int32) -> String? {
        KafkaConsumer.defaults(libraryVersion: version).first { $0.0 == "fetch.queue.backoff.ms" }?.1
    }

    @Test func theFetchQueueBackoffIsShortWhereTheLibraryHasIt() {
        #expect(backoff(0x0200_02FF) == nil)  // Debian 12's librdkafka 2.0.2
        #expect(backoff(0x0200_FFFF) == nil)
        #expect(backoff(0x0201_00FF) == "20")  // 2.1.0, which added it
        #expect(backoff(0x0210_01FF) == "20")  // 2.16.1, the tests' library
    }

    /// The library these tests run with accepts every default (an unknown property fails here).
    @Test func theRunningLibraryAcceptsEveryDefault() throws {
        let conf = try KafkaClientConfiguration(brokers: "127.0.0.1:9").makeConf(defaults: KafkaConsumer.defaults)
        rd_kafka_conf_destroy(conf)
        #expect(KafkaConsumer.defaults.contains { $0.0 == "fetch.queue.backoff.ms" } == (rd_kafka_version() >= KafkaConsumer.fetchQueueBackoffVersion))
    }
}
