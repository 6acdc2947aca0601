import SparkLedgerCore

/// Metric families as an OTLP `ExportMetricsServiceRequest` in the OTLP/JSON encoding
/// (opentelemetry-proto's metrics.proto through the protobuf JSON mapping: lowerCamelCase
/// names, 64-bit integers as strings, enums as numbers). Counters are cumulative monotonic sums
/// and histograms cumulative, both with their series' start time; gauges carry only a time.
public enum OTLPMetricsEncoder {
    /// A set of families whose cumulative series all started at `startTime` (epoch ms).
    public struct Batch: Sendable {
        public var families: [MetricFamily]
        public var startTime: Int64

        public init(families: [MetricFamily], startTime: Int64) {
            self.families = families
            self.startTime = startTime
        }
    }

    static let cumulative: Int64 = 2  // AGGREGATION_TEMPORALITY_CUMULATIVE

    public static func request(_ batches: [Batch], time: Int64, serviceVersion: String) -> JSONValue {
        let resource = JSONObject([.init("attributes", .array([
            attribute("service.name", "sparkledger"), attribute("service.version", serviceVersion),
        ]))])
        let metrics = batches.flatMap { batch in batch.families.map { metric($0, start: batch.startTime, time: time) } }
        let scope = JSONObject([
            .init("scope", .object(JSONObject([.init("name", .string("sparkledger")), .init("version", .string(serviceVersion))]))),
            .init("metrics", .array(metrics)),
        ])
        return .object(JSONObject([.init("resourceMetrics", .array([.object(JSONObject([
            .init("resource", .object(resource)), .init("scopeMetrics", .array([.object(scope)])),
        ]))]))]))
    }

    static func metric(_ family: MetricFamily, start: Int64, time: Int64) -> JSONValue {
        // Money and seconds stay doubles; counts and bytes are integers.
        let doubles = family.unit == "USD" || family.unit == "s"
        let points: [JSONValue] = family.points.map { point in
            var members: [JSONObject.Member] = [.init("attributes", .array(point.attributes.map { attribute($0.name, $0.value) }))]
            if family.kind != .gauge { members.append(.init("startTimeUnixNano", nanos(start))) }
            members.append(.init("timeUnixNano", nanos(time)))
            switch point.value {
            case .number(let value):
                if !doubles, let integer = Int64(exactly: value) {
                    members.append(.init("asInt", .string(String(integer))))
                } else {
                    members.append(.init("asDouble", .double(value)))
                }
            case .histogram(let histogram):
                members.append(.init("count", .string(String(histogram.count))))
                members.append(.init("sum", .double(histogram.sum)))
                members.append(.init("bucketCounts", .array(histogram.bucketCounts.map { .string(String($0)) })))
                members.append(.init("explicitBounds", .array(histogram.bounds.map { .double($0) })))
            }
            return .object(JSONObject(members))
        }
        let data: JSONObject.Member = switch family.kind {
        case .counter:
            .init("sum", .object(JSONObject([.init("dataPoints", .array(points)), .init("aggregationTemporality", .int(cumulative)),
                                             .init("isMonotonic", .bool(true))])))
        case .gauge:
            .init("gauge", .object(JSONObject([.init("dataPoints", .array(points))])))
        case .histogram:
            .init("histogram", .object(JSONObject([.init("dataPoints", .array(points)), .init("aggregationTemporality", .int(cumulative))])))
        }
        return .object(JSONObject([.init("name", .string(family.name)), .init("description", .string(family.help)),
                                   .init("unit", .string(family.unit)), data]))
    }

    private static func attribute(_ key: String, _ value: String) -> JSONValue {
        .object(JSONObject([.init("key", .string(key)), .init("value", .object(JSONObject([.init("stringValue", .string(value))])))]))
    }

    private static func nanos(_ milliseconds: Int64) -> JSONValue {
        .string(String(UInt64(max(0, milliseconds)) * 1_000_000))
    }
}
