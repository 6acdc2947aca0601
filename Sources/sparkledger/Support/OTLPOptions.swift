import ArgumentParser
import Foundation
import SparkLedgerMetrics

/// `--otlp-endpoint` and `--otlp-interval`: shared by `serve` and `demo`.
struct OTLPOptions: ParsableArguments {
    @Option(name: .customLong("otlp-endpoint"),
            help: ArgumentHelp("Push the metrics (OTLP/HTTP, JSON) to this collector URL too.", valueName: "url"))
    var endpoint: String?

    @Option(name: .customLong("otlp-interval"), help: ArgumentHelp("Seconds between OTLP pushes.", valueName: "seconds"))
    var interval: Int = 30

    func configuration(serviceVersion: String) throws -> OTLPExporterConfiguration? {
        guard let endpoint else { return nil }
        guard let url = URL(string: endpoint), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw ValidationError("--otlp-endpoint \"\(endpoint)\" is not an http(s) URL, e.g. http://otel-collector:4318/v1/metrics")
        }
        guard interval >= 1 else { throw ValidationError("--otlp-interval must be at least 1 second, got \(interval).") }
        return OTLPExporterConfiguration(endpoint: url, interval: .seconds(interval), serviceVersion: serviceVersion)
    }
}
