import CoreMetrics
import Hummingbird
import Logging
import ServiceLifecycle
import SparkLedgerHTTP
import SparkLedgerMetrics
import SparkLedgerStorage

/// The HTTP server of `serve` and `demo` and the OTLP pusher as Services, with the process's
/// self-metrics registry.
enum HTTPServing {
    /// The registry swift-metrics reports to in this process (bootstrapped once).
    static let pipelineMetrics: PipelineMetrics = {
        let registry = PipelineMetrics(startTime: StoreConfiguration.systemClock())
        MetricsSystem.bootstrap(registry)
        return registry
    }()

    /// The HTTP server of `store` (it prints the URLs once it listens) and, with an OTLP
    /// endpoint, the pusher of the same metrics.
    static func services(store: SQLiteEventStore, options: HTTPOptions, otlp: OTLPOptions, consumerReadiness: ReadinessProbe? = nil,
                         logger: Logger, announce: @escaping @Sendable (String) -> Void = Log.line) throws -> [any Service] {
        let configuration = try options.configuration()
        let domain = DomainMetricsSource(store: store, jobPathAllowList: Set(options.metricsJobPaths))
        let pipeline = pipelineMetrics
        let dependencies = HTTPDependencies(
            history: HistoryReader(store: store), domainMetrics: domain, pipelineMetrics: pipeline, consumerReadiness: consumerReadiness)
        var services: [any Service] = [try server(dependencies, configuration: configuration, logger: logger, announce: announce)]
        if let exporter = try otlp.configuration(serviceVersion: SparkLedgerCommand.configuration.version) {
            announce("pushing metrics to \(exporter.endpoint) every \(otlp.interval) s (OTLP/HTTP, JSON)")
            services.append(OTLPExporterService(configuration: exporter, clock: StoreConfiguration.systemClock, log: Log.line) {
                let (families, start) = try domain.families()
                return [OTLPMetricsEncoder.Batch(families: families, startTime: start ?? pipeline.startTime),
                        OTLPMetricsEncoder.Batch(families: pipeline.families(), startTime: pipeline.startTime)]
            })
        }
        return services
    }

    private static func server(_ dependencies: HTTPDependencies, configuration: HTTPServerConfiguration, logger: Logger,
                               announce: @escaping @Sendable (String) -> Void) throws -> any Service {
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
