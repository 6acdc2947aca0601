/// Why an event went to the quarantine (contract §4). The raw values are the reason codes users
/// and scripts see; the declaration order is the order the checks run in.
public enum RejectionReason: String, CaseIterable, Sendable, Comparable {
    case tooLarge = "too_large"
    case malformed
    case invalidEnvelope = "invalid_envelope"
    case unsupportedSchemaVersion = "unsupported_schema_version"
    case unknownEventType = "unknown_event_type"
    case invalidTimestamp = "invalid_timestamp"
    case invalidPayload = "invalid_payload"
    case conflictingDuplicate = "conflicting_duplicate"

    public static func < (lhs: RejectionReason, rhs: RejectionReason) -> Bool {
        let order = RejectionReason.allCases
        return (order.firstIndex(of: lhs) ?? 0) < (order.firstIndex(of: rhs) ?? 0)
    }
}

/// A rejected event: the reason code and a sentence that names the field and the value.
public struct Rejection: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: RejectionReason
    public var detail: String

    public init(_ reason: RejectionReason, _ detail: String) {
        self.reason = reason
        self.detail = detail
    }

    public var description: String { "\(reason.rawValue): \(detail)" }
}
