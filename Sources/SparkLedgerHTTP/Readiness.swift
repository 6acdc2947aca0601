import SparkLedgerCore

/// What /readyz reports beyond the store: a consuming `serve` tells whether it holds partitions,
/// reaches the brokers and knows its lag. Without a consumer only the store counts.
public struct Readiness: Sendable {
    public var ready: Bool
    /// Why not, when not.
    public var reason: String?
    public var details: [JSONObject.Member]

    public init(ready: Bool, reason: String? = nil, details: [JSONObject.Member] = []) {
        self.ready = ready
        self.reason = reason
        self.details = details
    }
}

public typealias ReadinessProbe = @Sendable () -> Readiness
