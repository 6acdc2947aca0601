/// The six event types (contract §2) and their rank in the fold order (contract §5).
public enum EventType: String, CaseIterable, Sendable, Comparable {
    case submit = "SUBMIT"
    case running = "RUNNING"
    case state = "STATE"
    case metricsSummary = "METRICS_SUMMARY"
    case cancel = "CANCEL"
    case terminal = "TERMINAL"

    /// Events with the same timestamp fold in this order: SUBMIT 0, STATE 1, RUNNING 2,
    /// METRICS_SUMMARY 3, CANCEL 4, TERMINAL 5.
    public var foldRank: Int {
        switch self {
        case .submit: return 0
        case .state: return 1
        case .running: return 2
        case .metricsSummary: return 3
        case .cancel: return 4
        case .terminal: return 5
        }
    }

    public static func < (lhs: EventType, rhs: EventType) -> Bool { lhs.foldRank < rhs.foldRank }

    /// The type named `rawValue`, lengths compared first: the synthesised initialiser compared the
    /// name with each case in turn through Swift's general string comparison (~500 instructions an
    /// event between the validator and the log's reader, callgrind).
    public init?(rawValue: String) {
        guard let type = Self.all.first(where: { $0.rawValue.equalsByLengthFirst(rawValue) }) else { return nil }
        self = type
    }

    /// `allCases` made once (the synthesised property builds its array at every call).
    private static let all = allCases

    /// The cases by their names' bytes, for the validator.
    static let names = CaseNames<EventType>()
}
