/// Who wrote an event (contract §1).
public enum EventSource: String, CaseIterable, Sendable {
    case runner
    case `operator`
    case importer

    /// The source named `rawValue`, lengths compared first (as `EventType.init(rawValue:)`).
    public init?(rawValue: String) {
        guard let source = Self.all.first(where: { $0.rawValue.equalsByLengthFirst(rawValue) }) else { return nil }
        self = source
    }

    /// `allCases` made once (the synthesised property builds its array at every call).
    private static let all = allCases

    /// The cases by their names' bytes, for the validator.
    static let names = CaseNames<EventSource>()
}
