import CoreMetrics
import Hummingbird
import SparkLedgerMetrics

/// Records each request's latency by method, matched route (not the raw path: bounded
/// cardinality) and status.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Where the timers go: the server's registry, else swift-metrics' global backend.
    let factory: any MetricsFactory

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        var status = 500
        defer {
            let elapsed = ContinuousClock.now - started
            let route = context.endpointPath ?? "unmatched"
            Timer(label: PipelineMetricNames.httpRequestDuration,
                  dimensions: [("method", request.method.rawValue), ("route", route), ("status", String(status))], factory: factory)
                .recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
        }
        do {
            let response = try await next(request, context)
            status = response.status.code
            return response
        } catch let error as any HTTPResponseError {
            status = error.status.code
            throw error
        }
    }
}
