/// The Spark properties of an application (its SparkListenerEnvironmentUpdate), read the way
/// Spark reads them.
public struct SparkConfiguration: Sendable, Equatable {
    public var properties: [String: String]

    public init(_ properties: [String: String] = [:]) {
        self.properties = properties
    }

    public subscript(key: String) -> String? { properties[key] }

    /// A size property in MiB: Spark's `byteStringAsMb` (a bare number is MiB; suffixes k, m, g,
    /// t, p with an optional `b`). Nil when absent or not a size.
    public func megabytes(_ key: String) -> Int64? {
        properties[key].flatMap(Self.megabytes(of:))
    }

    public func integer(_ key: String) -> Int64? {
        properties[key].flatMap { Int64($0.trimming(where: \.isWhitespace)) }
    }

    public func bool(_ key: String) -> Bool? {
        switch properties[key].map({ $0.trimming(where: \.isWhitespace).lowercased() }) {
        case "true": return true
        case "false": return false
        default: return nil
        }
    }

    static func megabytes(of text: String) -> Int64? {
        var digits = Substring(text.trimming(where: \.isWhitespace).lowercased())
        if digits.hasSuffix("b") && digits.count > 1 && !(digits.dropLast().last?.isNumber ?? true) { digits = digits.dropLast() }
        let scale: Double
        switch digits.last {
        case "k": scale = 1.0 / 1024
        case "m": scale = 1
        case "g": scale = 1024
        case "t": scale = 1024 * 1024
        case "p": scale = 1024 * 1024 * 1024
        default: scale = 1
        }
        if let last = digits.last, !last.isNumber { digits = digits.dropLast() }
        guard let value = Int64(digits), value >= 0 else { return nil }
        return Int64((Double(value) * scale).rounded(.down))
    }
}
