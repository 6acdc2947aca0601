/// Who wrote an event (contract §1).
public enum EventSource: String, CaseIterable, Sendable {
    case runner
    case `operator`
    case importer

    /// The source named `rawValue`, by length first (as `EventType.init(rawValue:)`).
    public init?(rawValue: String) {
        switch rawValue.utf8.count {
        case 6 where rawValue == "runner": self = .runner
        case 8 where rawValue == "operator": self = .operator
        case 8 where rawValue == "importer": self = .importer
        default: return nil
        }
    }
}
