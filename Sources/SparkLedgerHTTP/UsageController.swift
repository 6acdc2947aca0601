import Hummingbird
import SparkLedgerCore
import SparkLedgerStorage

/// GET /api/v1/usage: daily usage (contract §7) over a window of UTC days, rolled up by any
/// combination of day, team and job_path (`group_by=day,team`; default all three).
struct UsageController {
    let history: HistoryReader

    static let parameters: Set<String> = ["since", "until", "team", "job_path", "group_by", "format"]

    func usage(_ request: Request, _ context: some RequestContext) async throws -> Response {
        let query = try QueryParameters(request, allowed: Self.parameters)
        let format = try ListFormat(request, query)
        let filter = UsageFilter(since: try query.day("since"), until: try query.day("until"),
                                 team: try query.string("team"), jobPath: try query.string("job_path"))
        if let since = filter.since, let until = filter.until, since > until {
            throw APIError(.badRequest, "since (\(since)) must not be after until (\(until))",
                           parameter: "until", value: until.description, expected: "a day on or after since")
        }
        var dimensions = Set(UsageDimension.allCases)
        if let text = try query.string("group_by") {
            dimensions = []
            for name in text.split(separator: ",", omittingEmptySubsequences: false) {
                guard let dimension = UsageDimension(rawValue: String(name)), !dimensions.contains(dimension) else {
                    throw APIError.badParameter("group_by", text, expected: "a comma-separated list of day, team, job_path (each once)")
                }
                dimensions.insert(dimension)
            }
        }
        let grouping = dimensions
        let groups = try await history.read { store in try store.usageGroups(filter, by: grouping) }
        switch format {
        case .csv:
            let keys = UsageDimension.allCases.filter(dimensions.contains).map(\.rawValue) + DailyUsage.totalKeys
            return APIResponse.csv(header: keys, rows: groups.map { $0.json.members.map(\.value) })
        case .json:
            return APIResponse.json(.object(JSONObject([
                .init("group_by", .array(UsageDimension.allCases.filter(dimensions.contains).map { .string($0.rawValue) })),
                .init("since", filter.since.map { .string($0.description) } ?? .null),
                .init("until", filter.until.map { .string($0.description) } ?? .null),
                .init("usage", .array(groups.map { .object($0.json) })),
            ])))
        }
    }
}
