/// One metric with all its series, in a form both exporters (Prometheus text, OTLP) write from.
public struct MetricFamily: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case counter, gauge, histogram
    }

    /// The OpenTelemetry name (`sk8.executions.submitted`).
    public var name: String
    /// The Prometheus name of the samples (`sk8_executions_submitted_total`; histograms add
    /// `_bucket`, `_sum` and `_count`).
    public var prometheusName: String
    /// UCUM-style unit, as OpenTelemetry writes it (`s`, `By`, `USD`, `{execution}`).
    public var unit: String
    public var kind: Kind
    public var help: String
    public var points: [MetricPoint]

    public init(name: String, prometheusName: String, unit: String, kind: Kind, help: String, points: [MetricPoint] = []) {
        self.name = name
        self.prometheusName = prometheusName
        self.unit = unit
        self.kind = kind
        self.help = help
        self.points = points
    }
}

/// One series of a family: its attributes (in a fixed order) and its current value.
public struct MetricPoint: Sendable, Equatable {
    public var attributes: [MetricAttribute]
    public var value: Value

    public enum Value: Sendable, Equatable {
        case number(Double)
        case histogram(HistogramValue)
    }

    public init(_ attributes: [MetricAttribute], _ value: Value) {
        self.attributes = attributes
        self.value = value
    }
}

public struct MetricAttribute: Sendable, Equatable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A histogram's state: per-bucket counts over `bounds` (not cumulative; the last is +Inf).
public struct HistogramValue: Sendable, Equatable {
    public var bounds: [Double]
    public var bucketCounts: [Int64]
    public var sum: Double

    public init(bounds: [Double], bucketCounts: [Int64], sum: Double) {
        self.bounds = bounds
        self.bucketCounts = bucketCounts
        self.sum = sum
    }

    public var count: Int64 { bucketCounts.reduce(0, &+) }

    public init(_ latency: LatencyHistogram) {
        self.init(bounds: latency.boundsSeconds, bucketCounts: latency.counts, sum: Double(latency.sumMilliseconds) / 1000)
    }
}
