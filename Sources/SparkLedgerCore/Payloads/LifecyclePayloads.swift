/// RUNNING: the runner saw the execution start. Non-null values overwrite the snapshot's.
public struct RunningPayload: Sendable, Equatable {
    public var vendorRunID: String?
    public var sparkUIURL: String?
    public var logsURL: String?

    public static let fieldNames: [String] = ["vendor_run_id", "spark_ui_url", "logs_url"]

    public init(vendorRunID: String? = nil, sparkUIURL: String? = nil, logsURL: String? = nil) {
        self.vendorRunID = vendorRunID
        self.sparkUIURL = sparkUIURL
        self.logsURL = logsURL
    }

    public init(_ reader: PayloadReader) throws(FieldError) {
        vendorRunID = try reader.optionalString("vendor_run_id")
        sparkUIURL = try reader.optionalString("spark_ui_url")
        logsURL = try reader.optionalString("logs_url")
    }
}

/// STATE: the operator's ApplicationStateSummary name for the application.
public struct StatePayload: Sendable, Equatable {
    public let operatorState: String
    /// What `operatorState` does to a snapshot, worked out once when the payload is read (on
    /// the validating thread) rather than by the fold, a dozen string comparisons an event.
    public let effect: OperatorStateEffect
    public var message: String?
    public var attempt: Int64?

    public static let fieldNames: [String] = ["operator_state", "message", "attempt"]
    public static let requiredFieldNames: [String] = ["operator_state"]

    public init(operatorState: String, message: String? = nil, attempt: Int64? = nil) {
        self.operatorState = operatorState
        self.effect = OperatorStateEffect(operatorState: operatorState)
        self.message = message
        self.attempt = attempt
    }

    public init(_ reader: PayloadReader) throws(FieldError) {
        self.init(operatorState: try reader.requiredString("operator_state"), message: try reader.optionalString("message"),
                  attempt: try reader.optionalInteger("attempt", minimum: 0))
    }
}

/// CANCEL: somebody asked the runner to stop the execution.
public struct CancelPayload: Sendable, Equatable {
    public var requestedBy: String?
    public var reason: String?

    public static let fieldNames: [String] = ["requested_by", "reason"]

    public init(requestedBy: String? = nil, reason: String? = nil) {
        self.requestedBy = requestedBy
        self.reason = reason
    }

    public init(_ reader: PayloadReader) throws(FieldError) {
        requestedBy = try reader.optionalString("requested_by")
        reason = try reader.optionalString("reason")
    }
}

/// TERMINAL: the runner's final verdict, which overrides the operator's.
public struct TerminalPayload: Sendable, Equatable {
    public var finalState: FinalState
    public var errorClass: ErrorClass?
    public var message: String?
    public var exitCode: Int64?

    public static let fieldNames: [String] = ["final_state", "error_class", "message", "exit_code"]
    public static let requiredFieldNames: [String] = ["final_state"]

    public init(finalState: FinalState, errorClass: ErrorClass? = nil, message: String? = nil, exitCode: Int64? = nil) {
        self.finalState = finalState
        self.errorClass = errorClass
        self.message = message
        self.exitCode = exitCode
    }

    public init(_ reader: PayloadReader) throws(FieldError) {
        finalState = try reader.requiredEnum("final_state", FinalState.self)
        errorClass = try reader.optionalEnum("error_class", ErrorClass.self)
        message = try reader.optionalString("message")
        exitCode = try reader.optionalInteger("exit_code")
    }
}
