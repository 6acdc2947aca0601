import Hummingbird
import SparkLedgerCore

/// An error the API answers with: a status and a JSON body that names what was wrong.
/// `{"error": {"status": 400, "message": "…", "parameter": "limit", "value": "abc", "expected": "…"}}`
public struct APIError: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var message: String
    public var parameter: String?
    public var value: String?
    public var expected: String?

    public init(_ status: HTTPResponse.Status, _ message: String, parameter: String? = nil, value: String? = nil, expected: String? = nil) {
        self.status = status
        self.message = message
        self.parameter = parameter
        self.value = value
        self.expected = expected
    }

    /// A bad query parameter: 400 naming it, the value given and what was expected.
    public static func badParameter(_ name: String, _ value: String, expected: String) -> APIError {
        APIError(.badRequest, "query parameter \(name)=\(value) is not valid: expected \(expected)",
                 parameter: name, value: value, expected: expected)
    }

    public static func notFound(_ what: String) -> APIError {
        APIError(.notFound, what)
    }

    public var body: JSONValue {
        var members: [JSONObject.Member] = [.init("status", .int(Int64(status.code))), .init("message", .string(message))]
        if let parameter { members.append(.init("parameter", .string(parameter))) }
        if let value { members.append(.init("value", .string(value))) }
        if let expected { members.append(.init("expected", .string(expected))) }
        return .object(JSONObject([.init("error", .object(JSONObject(members)))]))
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        APIResponse.json(body, status: status)
    }
}
