/// What an operator state (apache/spark-kubernetes-operator `ApplicationStateSummary`) does to a
/// snapshot (contract §5, second table).
public enum OperatorStateEffect: Sendable, Equatable {
    /// `Submitted`, `DriverRequested`, and any name the contract does not list.
    case none
    /// `ScheduledToRestart`: a new attempt; reopens an operator verdict.
    case restart
    /// The driver is up: `DriverStarted`, `DriverReady`, `InitializedBelowThresholdExecutors`,
    /// `RunningHealthy`, `RunningWithBelowThresholdExecutors`.
    case running
    case succeeded
    /// A failure and whose fault it was.
    case failed(FailureKind)
    /// `ResourceReleased`, `TerminatedWithoutReleaseResources`: applies whoever decided the state.
    case resourcesReleased

    public init(operatorState name: String) {
        // A table scanned with lengths compared first: a `switch` over the names compared each in
        // turn through Swift's general string comparison, ~1,000 instructions a STATE event.
        self = Self.effects.first(where: { $0.name.equalsByLengthFirst(name) })?.effect ?? .none
    }

    /// The names that do something (contract §5, second table); every other name does nothing.
    private static let effects: [(name: String, effect: OperatorStateEffect)] = [
        ("ScheduledToRestart", .restart),
        ("DriverStarted", .running), ("DriverReady", .running), ("InitializedBelowThresholdExecutors", .running),
        ("RunningHealthy", .running), ("RunningWithBelowThresholdExecutors", .running),
        ("Succeeded", .succeeded),
        ("Failed", .failed(.application)), ("DriverEvicted", .failed(.application)), ("DriverReadyTimedOut", .failed(.application)),
        ("DriverStartTimedOut", .failed(.infrastructure)), ("ExecutorsStartTimedOut", .failed(.infrastructure)),
        ("SchedulingFailure", .failed(.infrastructure)),
        ("ResourceReleased", .resourcesReleased), ("TerminatedWithoutReleaseResources", .resourcesReleased),
    ]

    /// Every operator state the contract names, for tests and documentation.
    public static let knownStates: [String] = [
        "Submitted", "DriverRequested", "ScheduledToRestart", "DriverStarted", "DriverReady",
        "InitializedBelowThresholdExecutors", "RunningHealthy", "RunningWithBelowThresholdExecutors",
        "Succeeded", "Failed", "DriverEvicted", "DriverReadyTimedOut", "DriverStartTimedOut",
        "ExecutorsStartTimedOut", "SchedulingFailure", "ResourceReleased", "TerminatedWithoutReleaseResources",
    ]
}
