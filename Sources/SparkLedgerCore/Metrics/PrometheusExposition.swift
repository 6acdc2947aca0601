/// Prometheus text exposition format 0.0.4 (what `promtool check metrics` checks): HELP and TYPE
/// lines, then the samples; histograms as cumulative `_bucket{le=…}` plus `_sum` and `_count`.
public enum PrometheusExposition {
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    public static func text(_ families: [MetricFamily]) -> String {
        var out = ""
        for family in families {
            out += "# HELP \(family.prometheusName) \(escapeHelp(family.help))\n"
            out += "# TYPE \(family.prometheusName) \(family.kind.rawValue)\n"
            for point in family.points {
                switch point.value {
                case .number(let value):
                    out += sample(family.prometheusName, point.attributes, number(value))
                case .histogram(let histogram):
                    var cumulative: Int64 = 0
                    for (index, count) in histogram.bucketCounts.enumerated() {
                        cumulative += count
                        let bound = index < histogram.bounds.count ? number(histogram.bounds[index]) : "+Inf"
                        out += sample(family.prometheusName + "_bucket", point.attributes + [MetricAttribute("le", bound)], String(cumulative))
                    }
                    out += sample(family.prometheusName + "_sum", point.attributes, number(histogram.sum))
                    out += sample(family.prometheusName + "_count", point.attributes, String(histogram.count))
                }
            }
        }
        return out
    }

    private static func sample(_ name: String, _ attributes: [MetricAttribute], _ value: String) -> String {
        guard !attributes.isEmpty else { return "\(name) \(value)\n" }
        let labels = attributes.map { "\($0.name)=\"\(escapeLabel($0.value))\"" }.joined(separator: ",")
        return "\(name){\(labels)} \(value)\n"
    }

    /// Integers without a fraction; others in Swift's shortest round-trip form.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 9.007_199_254_740_992e15 { return String(Int64(value)) }
        return String(value)
    }

    /// Label values escape backslash, double quote and line feed; HELP text all but the quote.
    private static func escapeLabel(_ value: String) -> String { escape(value, quote: true) }
    private static func escapeHelp(_ value: String) -> String { escape(value, quote: false) }

    private static func escape(_ value: String, quote: Bool) -> String {
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"" where quote: out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }
}
