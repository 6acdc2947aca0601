import SparkLedgerCore

/// Accepted events counted by event type and source (the self-metric of ingest rates), in a
/// flat array: counting happens once per event on the write path.
public struct AcceptedEvents: Sendable, Equatable {
    private static let types = EventType.allCases
    private static let sources = EventSource.allCases
    private var counts = Array(repeating: 0, count: types.count * sources.count)

    public init() {}

    mutating func count(_ type: EventType, _ source: EventSource) {
        counts[Self.index(type, source)] += 1
    }

    public func count(type: EventType, source: EventSource) -> Int { counts[Self.index(type, source)] }

    /// Every (type, source) with a non-zero count.
    public var nonZero: [(type: EventType, source: EventSource, count: Int)] {
        Self.types.flatMap { type in Self.sources.map { source in (type, source, count(type: type, source: source)) } }.filter { $0.count > 0 }
    }

    public mutating func add(_ other: AcceptedEvents) {
        for index in counts.indices { counts[index] += other.counts[index] }
    }

    private static func index(_ type: EventType, _ source: EventSource) -> Int {
        let typeIndex = switch type {
        case .submit: 0
        case .running: 1
        case .state: 2
        case .metricsSummary: 3
        case .cancel: 4
        case .terminal: 5
        }
        let sourceIndex = switch source {
        case .runner: 0
        case .operator: 1
        case .importer: 2
        }
        return typeIndex * sources.count + sourceIndex
    }
}
