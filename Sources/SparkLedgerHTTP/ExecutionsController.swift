import Hummingbird
import SparkLedgerCore
import SparkLedgerStorage

/// GET /api/v1/executions, /api/v1/executions/{id} and /api/v1/executions/{id}/events.
struct ExecutionsController {
    let history: HistoryReader

    static let listParameters: Set<String> = ["team", "job_path", "state", "vendor", "since", "until", "order", "limit", "cursor", "format"]
    static let maximumLimit = 1000

    func list(_ request: Request, _ context: some RequestContext) async throws -> Response {
        let query = try QueryParameters(request, allowed: Self.listParameters)
        let format = try ListFormat(request, query)
        let now = history.now()
        var filter = ExecutionFilter(team: try query.string("team"), jobPath: try query.string("job_path"),
                                     state: try query.oneOf("state", ExecutionState.self, caseInsensitive: true),
                                     vendor: try query.oneOf("vendor", Vendor.self, caseInsensitive: true))
        filter.submittedSince = try query.time("since", now: now)
        filter.submittedUntil = try query.time("until", now: now)
        try QueryParameters.checkWindow(since: filter.submittedSince, until: filter.submittedUntil,
                                        sinceText: query.raw("since"), untilText: query.raw("until"))
        let (order, descending) = try Self.order(query.string("order"))
        let limit = try query.integer("limit", in: 1...Self.maximumLimit, default: 100)

        // The fingerprint covers everything that decides the listing, in resolved form (an age
        // such as 7d is fixed by the first page's cursor, not re-evaluated per page).
        var pageRequest = ExecutionPageRequest(filter: filter, order: order, descending: descending, limit: limit)
        if let text = try query.string("cursor") {
            let cursor = try PageCursor.decode(text, fingerprint: Self.fingerprint(query), fieldCount: 5)
            let numbers = cursor.fields.map { $0.isEmpty ? nil : Int64($0) }
            guard let key = numbers[1], let highest = numbers[2],
                  zip(cursor.fields, numbers).allSatisfy({ $0.isEmpty || $1 != nil }) else {
                throw APIError.badParameter("cursor", text, expected: "the next_cursor of a previous page")
            }
            pageRequest.after = ExecutionPosition(value: numbers[0], key: key)
            pageRequest.highestKey = highest
            pageRequest.filter.submittedSince = numbers[3]
            pageRequest.filter.submittedUntil = numbers[4]
        }
        let request = pageRequest
        let page = try await history.read { store in try store.executionPage(request) }
        let next = page.next.map { position in
            PageCursor(fingerprint: Self.fingerprint(query), fields: [
                position.value.map(String.init) ?? "", String(position.key), String(page.highestKey),
                request.filter.submittedSince.map(String.init) ?? "", request.filter.submittedUntil.map(String.init) ?? "",
            ]).encoded
        }
        switch format {
        case .csv:
            var response = APIResponse.csv(header: ExecutionSnapshot.contractKeys,
                                           rows: page.executions.map { $0.contractJSON.members.map(\.value) })
            if let next { response.headers[.init("Next-Cursor")!] = next }
            return response
        case .json:
            return APIResponse.json(.object(JSONObject([
                .init("executions", .array(page.executions.map { .object($0.contractJSON) })),
                .init("next_cursor", next.map(JSONValue.string) ?? .null),
            ])))
        }
    }

    func one(_ request: Request, _ context: some RequestContext) async throws -> Response {
        _ = try QueryParameters(request, allowed: [])
        let id = try context.parameters.require("id")
        guard let execution = try await history.read({ store in try store.execution(id: id) }) else {
            throw APIError.notFound("no execution with execution_id \(id)")
        }
        return APIResponse.json(.object(execution.contractJSON))
    }

    func events(_ request: Request, _ context: some RequestContext) async throws -> Response {
        _ = try QueryParameters(request, allowed: [])
        let id = try context.parameters.require("id")
        let events = try await history.read { store in try store.events(ofExecution: id) }
        guard !events.isEmpty else { throw APIError.notFound("no execution with execution_id \(id)") }
        return APIResponse.json(.object(JSONObject([
            .init("execution_id", .string(id)),
            .init("events", .array(events.map { (try? JSONParser.parse($0.canonicalEnvelope())) ?? .null })),
        ])))
    }

    /// `order=submit_time|end_time`, optionally `:asc` or `:desc` (the default).
    static func order(_ text: String?) throws(APIError) -> (ExecutionOrder, descending: Bool) {
        guard let text else { return (.submitTime, true) }
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        let direction = parts.count == 2 ? parts[1] : "desc"
        guard let order = ExecutionOrder(rawValue: parts[0]), direction == "asc" || direction == "desc" else {
            throw APIError.badParameter("order", text, expected: "submit_time or end_time, optionally followed by :asc or :desc")
        }
        return (order, direction == "desc")
    }

    private static func fingerprint(_ query: QueryParameters) -> String {
        PageCursor.fingerprint(["team", "job_path", "state", "vendor", "since", "until", "order"].map { query.raw($0) })
    }
}
