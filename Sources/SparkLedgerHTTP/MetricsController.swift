import Hummingbird
import SparkLedgerCore
import SparkLedgerMetrics

/// GET /metrics: the domain metrics of the stored history and the pipeline's self-metrics, in
/// Prometheus text format.
struct MetricsController {
    let history: HistoryReader
    let domain: DomainMetricsSource
    let pipeline: PipelineMetrics?

    func metrics(_ request: Request, _ context: some RequestContext) async throws -> Response {
        let domain = self.domain
        let families = try await history.read { _ in try domain.families().families }
        return APIResponse.text(PrometheusExposition.text(families + (pipeline?.families() ?? [])),
                                contentType: PrometheusExposition.contentType)
    }
}
