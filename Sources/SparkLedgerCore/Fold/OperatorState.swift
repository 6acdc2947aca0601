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
        // By length first, then one name or two: a `switch` over the names compared each in turn
        // through Swift's general string comparison, ~1,000 instructions a STATE event (callgrind).
        switch name.utf8.count {
        case 18 where name == "ScheduledToRestart":
            self = .restart
        case 13 where name == "DriverStarted", 11 where name == "DriverReady", 34 where name == "InitializedBelowThresholdExecutors",
             14 where name == "RunningHealthy", 34 where name == "RunningWithBelowThresholdExecutors":
            self = .running
        case 9 where name == "Succeeded":
            self = .succeeded
        case 6 where name == "Failed", 13 where name == "DriverEvicted", 19 where name == "DriverReadyTimedOut":
            self = .failed(.application)
        case 19 where name == "DriverStartTimedOut", 22 where name == "ExecutorsStartTimedOut", 17 where name == "SchedulingFailure":
            self = .failed(.infrastructure)
        case 16 where name == "ResourceReleased", 33 where name == "TerminatedWithoutReleaseResources":
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
