import Hummingbird
import SparkLedgerCore
import SparkLedgerStorage

/// GET /healthz (the process answers) and /readyz (the store answers a read and, when
/// consuming, the consumer is ready). 200 when ready, 503 with the reason when not.
struct HealthController {
    let history: HistoryReader
    let consumer: ReadinessProbe?

    func healthz(_ request: Request, _ context: some RequestContext) async throws -> Response {
        APIResponse.json(.object(JSONObject([.init("status", .string("ok"))])))
    }

    func readyz(_ request: Request, _ context: some RequestContext) async throws -> Response {
        var members: [JSONObject.Member] = []
        var problems: [String] = []
        do {
            let position = try await history.read { store in try store.logPosition() }
            members.append(.init("store", .object(JSONObject([.init("reachable", .bool(true)), .init("log_position", .int(position))]))))
        } catch {
            problems.append("store unreachable: \(error)")
            members.append(.init("store", .object(JSONObject([.init("reachable", .bool(false)), .init("error", .string("\(error)"))]))))
        }
        if let consumer {
            let readiness = consumer()
            if !readiness.ready { problems.append(readiness.reason ?? "consumer not ready") }
            members.append(.init("consumer", .object(JSONObject([.init("ready", .bool(readiness.ready))] + readiness.details))))
        }
        let ready = problems.isEmpty
        let body = JSONObject([.init("status", .string(ready ? "ready" : "not ready"))]
            + (ready ? [] : [.init("reasons", .array(problems.map(JSONValue.string)))]) + members)
        return APIResponse.json(.object(body), status: ready ? .ok : .serviceUnavailable)
    }
}
