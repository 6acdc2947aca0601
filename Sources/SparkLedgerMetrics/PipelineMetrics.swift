import CoreMetrics
import SparkLedgerCore
import Synchronization

/// A swift-metrics backend that keeps every instrument in memory and hands them out as
/// `MetricFamily`s for /metrics and OTLP: the pipeline's self-metrics (ingest rates, rejections,
/// duplicates, lag, projection delay, HTTP latency). Process-local: they restart at zero.
public final class PipelineMetrics: MetricsFactory, Sendable {
    /// What the families of known labels look like; other labels get a generic description.
    public struct Description: Sendable {
        public var name: String
        public var unit: String
        public var help: String
        public var bounds: [Double]

        public init(name: String, unit: String, help: String, bounds: [Double] = []) {
            self.name = name
            self.unit = unit
            self.help = help
            self.bounds = bounds
        }
    }

    public static let defaultBounds: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    private let descriptions: [String: Description]
    private let instruments = Mutex<[InstrumentKey: Instrument]>([:])
    /// When this registry began counting (epoch ms): the start time of its cumulative series.
    public let startTime: Int64

    public init(descriptions: [String: Description] = PipelineMetricNames.descriptions, startTime: Int64) {
        self.descriptions = descriptions
        self.startTime = startTime
    }

    struct InstrumentKey: Hashable {
        var label: String
        var dimensions: [MetricAttribute]
    }

    enum Kind { case counter, gauge, histogram }

    /// One series; a class so that handlers and the registry share it.
    final class Instrument: Sendable, CounterHandler, FloatingPointCounterHandler, RecorderHandler, TimerHandler, MeterHandler {
        let kind: Kind
        let bounds: [Double]
        /// value (counter/gauge) or sum (histogram), and bucket counts.
        private let state: Mutex<(value: Double, buckets: [Int64])>

        init(kind: Kind, bounds: [Double]) {
            self.kind = kind
            self.bounds = bounds
            self.state = Mutex((0, Array(repeating: 0, count: kind == .histogram ? bounds.count + 1 : 0)))
        }

        func increment(by amount: Int64) { increment(by: Double(amount)) }
        func increment(by amount: Double) { state.withLock { $0.value += amount } }
        func decrement(by amount: Double) { state.withLock { $0.value -= amount } }
        func reset() { state.withLock { $0.value = 0; $0.buckets = $0.buckets.map { _ in 0 } } }
        func set(_ value: Int64) { set(Double(value)) }
        func set(_ value: Double) { state.withLock { $0.value = value } }
        func record(_ value: Int64) { record(Double(value)) }
        func record(_ value: Double) {
            guard kind == .histogram else { return set(value) }
            let index = bounds.firstIndex { value <= $0 } ?? bounds.count
            state.withLock {
                $0.value += value
                $0.buckets[index] += 1
            }
        }
        func recordNanoseconds(_ duration: Int64) { record(Double(duration) / 1e9) }

        var value: MetricPoint.Value {
            state.withLock { state in
                kind == .histogram ? .histogram(HistogramValue(bounds: bounds, bucketCounts: state.buckets, sum: state.value))
                    : .number(state.value)
            }
        }
    }

    private func instrument(_ label: String, _ dimensions: [(String, String)], _ kind: Kind) -> Instrument {
        let key = InstrumentKey(label: label, dimensions: dimensions.map { MetricAttribute($0.0, $0.1) })
        let bounds = descriptions[label]?.bounds.nonEmpty ?? Self.defaultBounds
        return instruments.withLock { instruments in
            if let existing = instruments[key] { return existing }
            let created = Instrument(kind: kind, bounds: bounds)
            instruments[key] = created
            return created
        }
    }

    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        instrument(label, dimensions, .counter)
    }

    public func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        instrument(label, dimensions, .counter)
    }

    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        instrument(label, dimensions, aggregate ? .histogram : .gauge)
    }

    public func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        instrument(label, dimensions, .gauge)
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        instrument(label, dimensions, .histogram)
    }

    // Series stay until the process ends: a scrape must not lose a counter a handler dropped.
    public func destroyCounter(_ handler: any CounterHandler) {}
    public func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {}
    public func destroyRecorder(_ handler: any RecorderHandler) {}
    public func destroyMeter(_ handler: any MeterHandler) {}
    public func destroyTimer(_ handler: any TimerHandler) {}

    /// Every instrument, one family per label, series sorted by attributes.
    public func families() -> [MetricFamily] {
        let snapshot = instruments.withLock { $0 }
        var byLabel: [String: [(InstrumentKey, Instrument)]] = [:]
        for (key, instrument) in snapshot { byLabel[key.label, default: []].append((key, instrument)) }
        return byLabel.keys.sorted().compactMap { label in
            guard let series = byLabel[label], let first = series.first?.1 else { return nil }
            let description = descriptions[label] ?? Description(name: label.replacingUnderscores, unit: "1", help: "swift-metrics instrument \(label)")
            let kind: MetricFamily.Kind = switch first.kind {
            case .counter: .counter
            case .gauge: .gauge
            case .histogram: .histogram
            }
            let points = series.sorted { $0.0.dimensions.lexicographicallyPrecedes($1.0.dimensions) { ($0.name, $0.value) < ($1.name, $1.value) } }
                .map { MetricPoint($0.0.dimensions, $0.1.value) }
            return MetricFamily(name: description.name, prometheusName: label, unit: description.unit, kind: kind,
                                help: description.help, points: points)
        }
    }
}

private extension Array {
    var nonEmpty: Self? { isEmpty ? nil : self }
}

private extension String {
    /// `sparkledger_ingest_events_total` → `sparkledger.ingest.events.total` (for unknown labels).
    var replacingUnderscores: String { String(map { $0 == "_" ? "." : $0 }) }
}
