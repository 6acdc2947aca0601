import Foundation
import Hummingbird
import SparkLedgerCore
import SparkLedgerStorage

/// GET /api/v1/quarantine: rejected records in arrival order, paged by cursor, with the count
/// per reason of the whole quarantine.
struct QuarantineController {
    let history: HistoryReader

    static let parameters: Set<String> = ["reason", "limit", "cursor", "format"]
    static let csvKeys = ["id", "reason", "detail", "origin", "raw", "raw_base64", "raw_size", "truncated", "event_id",
                          "execution_id", "message_key", "quarantined_at"]

    func list(_ request: Request, _ context: some RequestContext) async throws -> Response {
        let query = try QueryParameters(request, allowed: Self.parameters)
        let format = try ListFormat(request, query)
        let reason = try query.oneOf("reason", RejectionReason.self)
        let limit = try query.integer("limit", in: 1...ExecutionsController.maximumLimit, default: 100)
        let fingerprint = PageCursor.fingerprint([query.raw("reason")])
        var afterID: Int64?
        if let text = try query.string("cursor") {
            let cursor = try PageCursor.decode(text, fingerprint: fingerprint, fieldCount: 1)
            guard let id = Int64(cursor.fields[0]) else { throw APIError.badParameter("cursor", text, expected: "the next_cursor of a previous page") }
            afterID = id
        }
        let after = afterID
        let (entries, counts) = try await history.read { store in
            (try store.quarantine(reason: reason, afterID: after, limit: limit + 1), try store.quarantineCounts())
        }
        let page = entries.prefix(limit)
        let next = entries.count > limit ? page.last.map { PageCursor(fingerprint: fingerprint, fields: [String($0.id)]).encoded } : nil
        switch format {
        case .csv:
            var response = APIResponse.csv(header: Self.csvKeys, rows: page.map { Self.json($0).members.map(\.value) })
            if let next { response.headers[.init("Next-Cursor")!] = next }
            return response
        case .json:
            let countMembers = RejectionReason.allCases.compactMap { reason in counts[reason].map { JSONObject.Member(reason.rawValue, .int($0)) } }
            return APIResponse.json(.object(JSONObject([
                .init("total", .int(counts.values.reduce(0, +))),
                .init("counts", .object(JSONObject(countMembers))),
                .init("entries", .array(page.map { .object(Self.json($0)) })),
                .init("next_cursor", next.map(JSONValue.string) ?? .null),
            ])))
        }
    }

    /// `raw` is the bytes as text when they are UTF-8, else null and `raw_base64` holds them.
    static func json(_ entry: QuarantineEntry) -> JSONObject {
        let text = String(validating: entry.raw, as: UTF8.self)
        let key = entry.messageKey.map { String(validating: $0, as: UTF8.self) ?? Data($0).base64EncodedString() }
        return JSONObject([
            .init("id", .int(entry.id)), .init("reason", .string(entry.reason.rawValue)), .init("detail", .string(entry.detail)),
            .init("origin", .string(entry.origin)), .init("raw", text.map(JSONValue.string) ?? .null),
            .init("raw_base64", text == nil ? .string(Data(entry.raw).base64EncodedString()) : .null),
            .init("raw_size", .int(entry.rawSize)), .init("truncated", .bool(entry.rawSize > entry.raw.count)),
            .init("event_id", entry.eventID.map(JSONValue.string) ?? .null),
            .init("execution_id", entry.executionID.map(JSONValue.string) ?? .null),
            .init("message_key", key.map(JSONValue.string) ?? .null), .init("quarantined_at", .int(entry.quarantinedAt)),
        ])
    }
}
