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
        /// Messages left to consume per owned partition, where known.
        public var lag: [KafkaPartition: Int64] = [:]

        /// Why a consumer is not ready.
        public enum NotReady: Sendable, Equatable, CustomStringConvertible {
            case starting
            case brokersUnavailable(String)
            case noPartitions
            case lagUnknown([KafkaPartition])

            public var description: String {
                switch self {
                case .starting: return "starting"
                case .brokersUnavailable(let reason): return "Kafka unavailable: \(reason)"
                case .noPartitions: return "no partitions assigned"
                case .lagUnknown(let partitions): return "lag not known yet for \(partitions.map(\.description).joined(separator: ", "))"
                }
            }

            /// Both ready, or the same kind of trouble whatever its detail.
            static func sameKind(_ a: NotReady?, _ b: NotReady?) -> Bool {
                switch (a, b) {
                case (nil, nil), (.starting?, .starting?), (.brokersUnavailable?, .brokersUnavailable?), (.noPartitions?, .noPartitions?),
                     (.lagUnknown?, .lagUnknown?):
                    return true
                default:
                    return false
                }
            }
        }

        /// Why the consumer is not ready, or nil when it owns partitions, knows their lag and the
        /// brokers answer.
        public var notReady: NotReady? {
            if !started { return .starting }
            if let brokerTrouble { return .brokersUnavailable(brokerTrouble) }
            if totals.assignment.isEmpty { return .noPartitions }
            let unknown = totals.assignment.filter { lag[$0] == nil }
            if !unknown.isEmpty { return .lagUnknown(unknown) }
            return nil
        }

        public var isReady: Bool { notReady == nil }
    }

    private let state = Mutex(Snapshot())

    public init() {}

    public var snapshot: Snapshot { state.withLock { $0 } }

    func update(_ body: (inout Snapshot) -> Void) {
        state.withLock { body(&$0) }
    }
}
