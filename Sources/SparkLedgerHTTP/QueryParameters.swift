import Hummingbird
import SparkLedgerCore

/// A request's query string, read parameter by parameter into typed values. Every failure is an
/// `APIError` that names the parameter, the value given and what was expected; parameters an
/// endpoint does not know are refused the same way, so a typo never silently widens a query.
struct QueryParameters {
    private let values: [(name: String, value: String)]

    init(_ request: Request, allowed: Set<String>) throws(APIError) {
        values = request.uri.queryParameters.map { (String($0.key), String($0.value)) }
        for (name, value) in values where !allowed.contains(name) {
            throw APIError(.badRequest, "unknown query parameter \(name)=\(value); this endpoint takes \(allowed.sorted().joined(separator: ", "))",
                           parameter: name, value: value, expected: "one of " + allowed.sorted().joined(separator: ", "))
        }
    }

    /// The value of `name`; a parameter given twice is refused.
    func raw(_ name: String) -> String? {
        values.first { $0.name == name }?.value
    }

    func string(_ name: String) throws(APIError) -> String? {
        let matches = values.filter { $0.name == name }
        if matches.count > 1 {
            throw APIError.badParameter(name, matches.map(\.value).joined(separator: ","), expected: "a single value")
        }
        guard let value = matches.first?.value else { return nil }
        guard !value.isEmpty else { throw APIError.badParameter(name, value, expected: "a non-empty value") }
        return value
    }

    func integer(_ name: String, in range: ClosedRange<Int>, default fallback: Int) throws(APIError) -> Int {
        guard let text = try string(name) else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw APIError.badParameter(name, text, expected: "an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    func oneOf<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type, caseInsensitive: Bool = false) throws(APIError) -> T?
    where T.RawValue == String {
        guard let text = try string(name) else { return nil }
        if let value = T.allCases.first(where: { caseInsensitive ? $0.rawValue.uppercased() == text.uppercased() : $0.rawValue == text }) {
            return value
        }
        throw APIError.badParameter(name, text, expected: "one of " + T.allCases.map(\.rawValue).joined(separator: ", "))
    }

    /// A time in `TimeText`'s forms, as epoch milliseconds.
    func time(_ name: String, now: Int64) throws(APIError) -> Int64? {
        guard let text = try string(name) else { return nil }
        guard let value = TimeText.parse(text, now: now) else { throw APIError.badParameter(name, text, expected: TimeText.help) }
        return value
    }

    func day(_ name: String) throws(APIError) -> UTCDay? {
        guard let text = try string(name) else { return nil }
        guard let day = UTCDay(iso: text) else { throw APIError.badParameter(name, text, expected: "a UTC day, YYYY-MM-DD") }
        return day
    }

    /// `since` before `until` when both are given.
    static func checkWindow(since: Int64?, until: Int64?, sinceText: String?, untilText: String?) throws(APIError) {
        if let since, let until, since >= until {
            throw APIError(.badRequest, "since (\(sinceText ?? "")) must be before until (\(untilText ?? ""))",
                           parameter: "until", value: untilText, expected: "a time after since")
        }
    }
}
