/// The typed payload of an event; which case is decided by `event_type`.
///
/// The two large payloads are references (SUBMIT a class of constants, METRICS_SUMMARY boxed) so
/// that an event stays small to copy and sort.
public enum EventPayload: Sendable, Equatable {
    case submit(SubmitPayload)
    case running(RunningPayload)
    case state(StatePayload)
    indirect case metricsSummary(MetricsSummary)
    case cancel(CancelPayload)
    case terminal(TerminalPayload)

    /// Decodes the payload object of an event of `type`, or names the first field that is wrong.
    public init(type: EventType, reader: PayloadReader) throws(FieldError) {
        switch type {
        case .submit: self = .submit(try SubmitPayload(reader))
        case .running: self = .running(try RunningPayload(reader))
        case .state: self = .state(try StatePayload(reader))
        case .metricsSummary: self = .metricsSummary(try MetricsSummary(reader))
        case .cancel: self = .cancel(try CancelPayload(reader))
        case .terminal: self = .terminal(try TerminalPayload(reader))
        }
    }

    /// The names the contract gives each payload's fields (§3); unknown members are kept and ignored.
    public static func fieldNames(of type: EventType) -> [String] {
        switch type {
        case .submit: return SubmitPayload.fieldNames
        case .running: return RunningPayload.fieldNames
        case .state: return StatePayload.fieldNames
        case .metricsSummary: return MetricsSummary.Field.allCases.map(\.rawValue)
        case .cancel: return CancelPayload.fieldNames
        case .terminal: return TerminalPayload.fieldNames
        }
    }

    public static func requiredFieldNames(of type: EventType) -> [String] {
        switch type {
        case .submit: return SubmitPayload.requiredFieldNames
        case .state: return StatePayload.requiredFieldNames
        case .terminal: return TerminalPayload.requiredFieldNames
        case .running, .metricsSummary, .cancel: return []
        }
    }
}
