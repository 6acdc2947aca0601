/// The platform's execution state.
public enum ExecutionState: String, CaseIterable, Sendable {
    case submitted = "SUBMITTED"
    case running = "RUNNING"
    case succeeded = "SUCCEEDED"
    case failed = "FAILED"
    case cancelled = "CANCELLED"

    public var isFinal: Bool {
        switch self {
        case .succeeded, .failed, .cancelled: return true
        case .submitted, .running: return false
        }
    }
}

/// Which writer's verdict the current final state came from. The runner is the system of record.
public enum FinalBy: String, CaseIterable, Sendable {
    case none
    case runner
    case `operator`
}

/// Set when the operator reports a failure: the application's own fault or the platform's.
public enum FailureKind: String, CaseIterable, Sendable {
    case application = "APPLICATION"
    case infrastructure = "INFRASTRUCTURE"
}

/// The runner's classification of a failure (TERMINAL `error_class`).
public enum ErrorClass: String, CaseIterable, Sendable {
    case user = "USER"
    case system = "SYSTEM"
    case unknown = "UNKNOWN"
}

/// Where an execution ran (SUBMIT `vendor`, default SK8).
public enum Vendor: String, CaseIterable, Sendable {
    case sk8 = "SK8"
    case emr = "EMR"
    case dbr = "DBR"
}

/// TERMINAL `final_state`.
public enum FinalState: String, CaseIterable, Sendable {
    case succeeded = "SUCCEEDED"
    case failed = "FAILED"
    case cancelled = "CANCELLED"

    public var executionState: ExecutionState {
        switch self {
        case .succeeded: return .succeeded
        case .failed: return .failed
        case .cancelled: return .cancelled
        }
    }
}
