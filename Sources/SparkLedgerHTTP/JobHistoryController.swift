import Hummingbird
import SparkLedgerCore
import SparkLedgerStorage

/// GET /api/v1/jobs/{job_path}/history: a job's runs over a window (newest first, `limit` of
/// them) and the summary of every run in the window. job_path holds slashes, so the route
/// catches the whole rest of the path; `%2F` works too.
struct JobHistoryController {
    let history: HistoryReader

    static let parameters: Set<String> = ["since", "until", "limit", "format"]

    func history(_ request: Request, _ context: some RequestContext) async throws -> Response {
        let components = context.parameters.getCatchAll().map { String($0).removingPercentEncoding ?? String($0) }
        guard components.count >= 2, components.last == "history" else {
            throw APIError.notFound("no such resource \(request.uri.path); a job's history is /api/v1/jobs/{job_path}/history")
        }
        let jobPath = components.dropLast().joined(separator: "/")
        let query = try QueryParameters(request, allowed: Self.parameters)
        let format = try ListFormat(request, query)
        let now = history.now()
        let since = try query.time("since", now: now)
        let until = try query.time("until", now: now)
        try QueryParameters.checkWindow(since: since, until: until, sinceText: query.raw("since"), untilText: query.raw("until"))
        let limit = try query.integer("limit", in: 1...ExecutionsController.maximumLimit, default: 100)
        let runs = try await history.read { store in try store.jobRuns(jobPath: jobPath, since: since, until: until) }
        if runs.isEmpty, try await history.read({ store in try store.jobVersion(jobPath) }) == nil {
            throw APIError.notFound("no execution of job_path \(jobPath)")
        }
        let listed = runs.prefix(limit)
        switch format {
        case .csv:
            return APIResponse.csv(header: JobRun.jsonKeys, rows: listed.map { $0.json.members.map(\.value) })
        case .json:
            return APIResponse.json(.object(JSONObject([
                .init("job_path", .string(jobPath)),
                .init("since", since.map(JSONValue.int) ?? .null),
                .init("until", until.map(JSONValue.int) ?? .null),
                .init("summary", .object(JobRunSummary(runs).json)),
                .init("runs", .array(listed.map { .object($0.json) })),
                .init("runs_listed", .int(Int64(listed.count))),
            ])))
        }
    }
}
