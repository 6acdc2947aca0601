import CoreMetrics
import Hummingbird
import Logging
import SparkLedgerCore
import SparkLedgerMetrics
import SparkLedgerStorage

/// Everything the HTTP API reads from.
public struct HTTPDependencies: Sendable {
    public var history: HistoryReader
    public var domainMetrics: DomainMetricsSource
    /// The self-metrics registry; nil leaves them out of /metrics.
    public var pipelineMetrics: PipelineMetrics?
    /// The consumer's readiness, when this process consumes.
    public var consumerReadiness: ReadinessProbe?
    /// Sizing recommendations, cached per job.
    public var recommender: JobRecommender

    public init(history: HistoryReader, domainMetrics: DomainMetricsSource, pipelineMetrics: PipelineMetrics? = nil,
                consumerReadiness: ReadinessProbe? = nil, recommender: JobRecommender? = nil) {
        self.history = history
        self.domainMetrics = domainMetrics
        self.pipelineMetrics = pipelineMetrics
        self.consumerReadiness = consumerReadiness
        self.recommender = recommender ?? JobRecommender(store: history.store)
    }
}

/// The API's routes; tests and `buildApplication` call this.
public func buildRouter(_ dependencies: HTTPDependencies) -> Router<BasicRequestContext> {
    let router = Router()
    router.add(middleware: APIErrorMiddleware())
    router.add(middleware: RequestMetricsMiddleware(factory: dependencies.pipelineMetrics ?? MetricsSystem.factory))
    let executions = ExecutionsController(history: dependencies.history)
    let jobs = JobHistoryController(history: dependencies.history)
    let usage = UsageController(history: dependencies.history)
    let quarantine = QuarantineController(history: dependencies.history)
    let health = HealthController(history: dependencies.history, consumer: dependencies.consumerReadiness)
    let metrics = MetricsController(history: dependencies.history, domain: dependencies.domainMetrics, pipeline: dependencies.pipelineMetrics)

    router.get("/healthz", use: health.healthz)
    router.get("/readyz", use: health.readyz)
    router.get("/metrics", use: metrics.metrics)
    let api = router.group("/api/v1")
    api.get("executions", use: executions.list)
    api.get("executions/:id", use: executions.one)
    api.get("executions/:id/events", use: executions.events)
    api.get("jobs/**", use: jobs.history)
    api.get("usage", use: usage.usage)
    api.get("quarantine", use: quarantine.list)
    let recommendations = RecommendationsController(history: dependencies.history, recommender: dependencies.recommender)
    api.get("recommendations/**", use: recommendations.get)
    api.post("recommendations/**", use: recommendations.post)
    return router
}

/// The HTTP server as a Service, for the `serve` ServiceGroup.
public func buildApplication(_ dependencies: HTTPDependencies, configuration: HTTPServerConfiguration,
                             onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in },
                             logger: Logger) -> some ApplicationProtocol {
    Application(
        router: buildRouter(dependencies),
        configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port),
                                                serverName: "sparkledger"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger)
}
