import Synchronization
import SparkLedgerKafka

/// Broker trouble as `serve` reports it: into the status at once, into the log when it starts and
/// then at most every 30 seconds (librdkafka retries far more often than that).
final class BrokerTroubleLog: Sendable {
    private let status: KafkaIngestStatus
    private let log: @Sendable (String) -> Void
    private let lastLogged = Mutex<ContinuousClock.Instant?>(nil)

    init(status: KafkaIngestStatus, log: @escaping @Sendable (String) -> Void) {
        self.status = status
        self.log = log
    }

    func report(_ error: KafkaError) {
        status.update { $0.brokerTrouble = error.message }
        let now = ContinuousClock.now
        let shouldLog = lastLogged.withLock { last in
            if let last, now - last < .seconds(30) { return false }
            last = now
            return true
        }
        if shouldLog { log("Kafka unavailable, retrying with backoff: \(error.message)") }
    }

    func resolved() {
        status.update { $0.brokerTrouble = nil }
        lastLogged.withLock { $0 = nil }
        log("Kafka is reachable again")
    }
}
