import Foundation
import SparkLedgerCore

/// The opaque `cursor` of paged endpoints: where the previous page ended, the listing's
/// high-water mark, and a fingerprint of the query it belongs to (a cursor used with other
/// filters is refused, not silently misapplied). base64url of `v1|fingerprint|fields…`.
struct PageCursor: Equatable {
    var fingerprint: String
    var fields: [String]

    static func fingerprint(_ parts: [String?]) -> String {
        let text = parts.map { $0 ?? "\u{0}" }.joined(separator: "\u{1}")
        return String(RowHash.hash(Array(text.utf8)), radix: 36)
    }

    var encoded: String {
        let text = (["v1", fingerprint] + fields).joined(separator: "|")
        return Data(text.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Decodes `text`, which must belong to a query with `fingerprint` and carry `fieldCount` fields.
    static func decode(_ text: String, fingerprint: String, fieldCount: Int) throws(APIError) -> PageCursor {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let decoded = String(data: data, encoding: .utf8) else {
            throw APIError.badParameter("cursor", text, expected: "the next_cursor of a previous page")
        }
        let parts = decoded.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == fieldCount + 2, parts[0] == "v1" else {
            throw APIError.badParameter("cursor", text, expected: "the next_cursor of a previous page")
        }
        guard parts[1] == fingerprint else {
            throw APIError.badParameter("cursor", text, expected: "a cursor from the same query (same filters and order)")
        }
        return PageCursor(fingerprint: parts[1], fields: Array(parts.dropFirst(2)))
    }
}
