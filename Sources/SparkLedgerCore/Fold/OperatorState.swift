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

    public init(operatorState: String) {
        switch operatorState {
        case "ScheduledToRestart":
            self = .restart
        case "DriverStarted", "DriverReady", "InitializedBelowThresholdExecutors", "RunningHealthy",
             "RunningWithBelowThresholdExecutors":
            self = .running
        case "Succeeded":
            self = .succeeded
        case "Failed", "DriverEvicted", "DriverReadyTimedOut":
            self = .failed(.application)
        case "DriverStartTimedOut", "ExecutorsStartTimedOut", "SchedulingFailure":
            self = .failed(.infrastructure)
        case "ResourceReleased", "TerminatedWithoutReleaseResources":
            self = .resourcesReleased
        default:
            self = .none
        }
    }

    /// Every operator state the contract names, for tests and documentation.
    public static let knownStates: [String] = [
        "Submitted", "DriverRequested", "ScheduledToRestart", "DriverStarted", "DriverReady",
        "InitializedBelowThresholdExecutors", "RunningHealthy", "RunningWithBelowThresholdExecutors",
        "Succeeded", "Failed", "DriverEvicted", "DriverReadyTimedOut", "DriverStartTimedOut",
        "ExecutorsStartTimedOut", "SchedulingFailure", "ResourceReleased", "TerminatedWithoutReleaseResources",
    ]
}
