import CoreMetrics
import Hummingbird
import Logging
import ServiceLifecycle
import SparkLedgerHTTP
import SparkLedgerMetrics
import SparkLedgerStorage

/// The HTTP server of `serve` and `demo` as a Service, with the process's self-metrics registry.
enum HTTPServing {
    /// The registry swift-metrics reports to in this process (bootstrapped once).
    static let pipelineMetrics: PipelineMetrics = {
        let registry = PipelineMetrics(startTime: StoreConfiguration.systemClock())
        MetricsSystem.bootstrap(registry)
        return registry
    }()

    /// A service that serves `store` and prints the URLs once it listens.
    static func service(store: SQLiteEventStore, options: HTTPOptions, consumerReadiness: ReadinessProbe? = nil,
                        logger: Logger, announce: @escaping @Sendable (String) -> Void = Log.line) throws -> any Service {
        let configuration = try options.configuration()
        let dependencies = HTTPDependencies(
            history: HistoryReader(store: store),
            domainMetrics: DomainMetricsSource(store: store, jobPathAllowList: Set(options.metricsJobPaths)),
            pipelineMetrics: pipelineMetrics, consumerReadiness: consumerReadiness)
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        return buildApplication(dependencies, configuration: configuration, onServerRunning: { port in
            let base = "http://\(host):\(port)"
            announce("serving the history on \(base) (Ctrl-C stops)")
            announce("  \(base)/api/v1/executions")
            announce("  \(base)/api/v1/usage?group_by=team")
            announce("  \(base)/metrics")
            announce("  \(base)/readyz")
        }, logger: logger)
    }
}
