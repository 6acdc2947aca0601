import Synchronization
import SparkLedgerKafka
import SparkLedgerStorage

/// Totals of a `serve` run so far.
public struct KafkaIngestTotals: Sendable, Equatable {
    public var records = 0
    public var batches = 0
    public var outcome = AppendOutcome()
    /// Records whose key was missing or differed from the envelope's execution_id.
    public var keyMismatches = 0
    /// The partitions owned now, sorted.
    public var assignment: [KafkaPartition] = []

    public init() {}
}

/// Where a consuming `serve` stands, readable from any thread (the HTTP readiness probe, tests).
public final class KafkaIngestStatus: Sendable {
    public struct Snapshot: Sendable, Equatable {
        public var totals = KafkaIngestTotals()
        /// Set while the brokers cannot be reached; cleared when they answer again.
        public var brokerTrouble: String?
        /// The consumer has joined the group and is polling.
        public var started = false

        /// Why the consumer is not ready, or nil when it owns partitions and the brokers answer.
        public var notReadyReason: String? {
            if !started { return "starting" }
            if let brokerTrouble { return "Kafka unavailable: \(brokerTrouble)" }
            if totals.assignment.isEmpty { return "no partitions assigned" }
            return nil
        }

        public var isReady: Bool { notReadyReason == nil }
    }

    private let state = Mutex(Snapshot())

    public init() {}

    public var snapshot: Snapshot { state.withLock { $0 } }

    func update(_ body: (inout Snapshot) -> Void) {
        state.withLock { body(&$0) }
    }
}
