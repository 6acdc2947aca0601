/// Where the HTTP server listens.
public struct HTTPServerConfiguration: Sendable, Equatable {
    public var host: String
    public var port: Int

    public static let defaultAddress = "127.0.0.1:8080"

    public init(host: String = "127.0.0.1", port: Int = 8080) {
        self.host = host
        self.port = port
    }

    /// `HOST:PORT`, `:PORT` or `[IPv6]:PORT`; nil when it is none of these.
    public init?(address: String) {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
              (0...65535).contains(port) else { return nil }
        var host = String(address[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.init(host: host.isEmpty ? "127.0.0.1" : host, port: port)
    }
}
