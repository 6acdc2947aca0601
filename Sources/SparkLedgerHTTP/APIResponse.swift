import Hummingbird
import NIOCore
import SparkLedgerCore

/// Response bodies: JSON in the contract's key order, CSV for lists, Prometheus text.
enum APIResponse {
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        var bytes = JSONWriter.bytes(value, keyOrder: .documentOrder)
        bytes.append(0x0A)
        return body(bytes, contentType: "application/json", status: status)
    }

    static func text(_ text: String, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        body(Array(text.utf8), contentType: contentType, status: status)
    }

    static func csv(header: [String], rows: [[JSONValue]]) -> Response {
        var text = CSVLine.line(header) + "\n"
        for row in rows { text += CSVLine.line(row.map(CSVLine.field)) + "\n" }
        return self.text(text, contentType: "text/csv; charset=utf-8")
    }

    private static func body(_ bytes: [UInt8], contentType: String, status: HTTPResponse.Status) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.contentLength] = String(bytes.count)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// The representation a list endpoint answers with: `?format=csv|json` wins over `Accept`.
enum ListFormat {
    case json, csv

    init(_ request: Request, _ query: QueryParameters) throws(APIError) {
        if let format = query.raw("format") {
            switch format.lowercased() {
            case "json": self = .json
            case "csv": self = .csv
            default: throw APIError.badParameter("format", format, expected: "json or csv")
            }
        } else if let accept = request.headers[.accept], accept.contains("text/csv"), !accept.contains("application/json") {
            self = .csv
        } else {
            self = .json
        }
    }
}
