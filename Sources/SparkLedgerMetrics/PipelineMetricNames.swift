/// The pipeline's self-metrics: their swift-metrics labels (the Prometheus names) and how they
/// are described to OpenTelemetry.
public enum PipelineMetricNames {
    public static let eventsIngested = "sparkledger_ingest_events_total"
    public static let eventsRejected = "sparkledger_ingest_rejected_total"
    public static let duplicates = "sparkledger_ingest_duplicates_total"
    public static let consumerLag = "sparkledger_kafka_consumer_lag"
    public static let projectionDelay = "sparkledger_projection_delay_seconds"
    public static let httpRequestDuration = "sparkledger_http_request_duration_seconds"

    public static let descriptions: [String: PipelineMetrics.Description] = [
        eventsIngested: .init(name: "sparkledger.ingest.events", unit: "{event}", help: "Events accepted into the log, by source of the input (kafka, file)."),
        eventsRejected: .init(name: "sparkledger.ingest.rejected", unit: "{record}", help: "Records quarantined, by reason."),
        duplicates: .init(name: "sparkledger.ingest.duplicates", unit: "{event}", help: "Exact duplicates turned away."),
        consumerLag: .init(name: "sparkledger.kafka.consumer.lag", unit: "{message}", help: "Messages between the consumer's position and the partition's end, by topic and partition."),
        projectionDelay: .init(name: "sparkledger.projection.delay", unit: "s", help: "Time from reading a batch to its events being visible in the projections.",
                               bounds: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]),
        httpRequestDuration: .init(name: "sparkledger.http.server.request.duration", unit: "s", help: "HTTP request latency, by method, route and status."),
    ]
}
