import Hummingbird
import NIOCore
import SparkLedgerCore
import SparkLedgerStorage

/// GET and POST /api/v1/recommendations/{job_path}: what APS asks before a submit. The job's
/// current request comes from query parameters (GET) or a JobSpec body (POST, `{"resources":
/// {…}}` as a SUBMIT carries it); without either, the job's latest SUBMIT.
struct RecommendationsController {
    let history: HistoryReader
    let recommender: JobRecommender

    static let requestParameters = ["executor_memory_mb", "executor_cores", "executor_instances", "min_executors", "initial_executors",
                                    "max_executors", "driver_memory_mb", "driver_cores"]

    /// Sets the request field a query parameter names.
    static func set(_ name: String, _ value: Int64, in resources: inout RequestedResources) {
        var executor = resources.executor ?? .init()
        var driver = resources.driver ?? .init()
        var dynamic = resources.dynamicAllocation ?? .init(enabled: true)
        switch name {
        case "executor_memory_mb": executor.memoryMB = value
        case "executor_cores": executor.cores = value
        case "executor_instances": executor.instances = value
        case "min_executors": dynamic.minExecutors = value
        case "initial_executors": dynamic.initialExecutors = value
        case "max_executors": dynamic.maxExecutors = value
        case "driver_memory_mb": driver.memoryMB = value
        default: driver.cores = value
        }
        if name.hasPrefix("executor_") { resources.executor = executor }
        if name.hasPrefix("driver_") { resources.driver = driver }
        if name.hasSuffix("_executors") { resources.dynamicAllocation = dynamic }
    }

    func get(_ request: Request, _ context: some RequestContext) async throws -> Response {
        let jobPath = try Self.jobPath(request, context)
        let query = try QueryParameters(request, allowed: Set(["as_of"] + Self.requestParameters))
        var current: RequestedResources?
        for name in Self.requestParameters {
            guard let text = try query.string(name) else { continue }
            let minimum: Int64 = name.hasSuffix("executors") || name == "executor_instances" ? 0 : 1
            guard let value = Int64(text), value >= minimum else {
                throw APIError.badParameter(name, text, expected: "a whole number ≥ \(minimum)")
            }
            var resources = current ?? RequestedResources()
            Self.set(name, value, in: &resources)
            current = resources
        }
        return try await answer(jobPath: jobPath, current: current, asOf: query.time("as_of", now: history.now()))
    }

    func post(_ request: Request, _ context: some RequestContext) async throws -> Response {
        let jobPath = try Self.jobPath(request, context)
        let query = try QueryParameters(request, allowed: ["as_of"])
        let body = try await request.body.collect(upTo: 64 * 1024)
        let text = String(buffer: body)
        let current: RequestedResources?
        do {
            guard case .object(let spec) = try JSONParser.parse(text) else {
                throw APIError(.badRequest, "the body must be a JobSpec object, {\"resources\": {…}}", parameter: "body", value: String(text.prefix(200)),
                               expected: "a JSON object with a resources member")
            }
            current = try spec["resources"].map { try RequestedResources(json: JSONWriter.string($0, keyOrder: .documentOrder)) }
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError(.badRequest, "the body is not a valid JobSpec: \(error)", parameter: "body", value: String(text.prefix(200)),
                           expected: "{\"resources\": {\"executor\": {\"memory_mb\": …, \"cores\": …}, \"driver\": {…}, \"dynamic_allocation\": {…}}}")
        }
        return try await answer(jobPath: jobPath, current: current, asOf: query.time("as_of", now: history.now()))
    }

    private func answer(jobPath: String, current: RequestedResources?, asOf: Int64?) async throws -> Response {
        let recommender = self.recommender
        let time = asOf ?? history.now()
        guard let recommendation = try await history.read({ _ in try recommender.recommend(jobPath: jobPath, current: current, asOf: time) }) else {
            throw APIError.notFound("no execution of job_path \(jobPath)")
        }
        return APIResponse.json(.object(recommendation.json))
    }

    private static func jobPath(_ request: Request, _ context: some RequestContext) throws -> String {
        let components = context.parameters.getCatchAll().map { String($0).removingPercentEncoding ?? String($0) }
        guard !components.isEmpty else { throw APIError.notFound("no such resource \(request.uri.path); a recommendation is /api/v1/recommendations/{job_path}") }
        return components.joined(separator: "/")
    }
}
