/// Who wrote an event (contract §1).
public enum EventSource: String, CaseIterable, Sendable {
    case runner
    case `operator`
    case importer
}
