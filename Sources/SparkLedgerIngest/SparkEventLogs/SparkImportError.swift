/// Why an event log cannot be imported, in one line that names the file (and the line, when one
/// line is the trouble).
public struct SparkImportError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var line: Int64?
    public var message: String

    public init(path: String, line: Int64? = nil, _ message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String { line.map { "\(path):\($0): \(message)" } ?? "\(path): \(message)" }
}
