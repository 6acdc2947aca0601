/// An execution as its events describe it: a pure function of the set of its accepted events
/// (contract §5). `ExecutionFold` builds it; nothing else writes it.
public struct ExecutionSnapshot: Sendable, Equatable {
    public var executionID: String

    // Identity, from the first SUBMIT in fold order.
    public var jobPath: String?
    public var team: String?
    public var owner: String?
    public var namespace: String?
    public var vendor: Vendor?
    public var vendorRunID: String?
    public var idempotencyKey: String?
    public var parentExecutionID: String?
    public var sparkVersion: String?
    public var resources: RequestedResources?
    /// The SUBMIT's `resources` object as canonical JSON.
    public var resourcesJSON: String?
    /// The SUBMIT's `labels` object as canonical JSON.
    public var labelsJSON: String?
    public var sparkUIURL: String?
    public var logsURL: String?

    // Lifecycle.
    public var state: ExecutionState = .submitted
    public var operatorState: String?
    public var finalBy: FinalBy = .none
    public var failureKind: FailureKind?
    public var errorClass: ErrorClass?
    /// TERMINAL `message` (a failure field: cleared when the operator reopens the execution).
    public var errorMessage: String?
    /// TERMINAL `exit_code` (a failure field).
    public var exitCode: Int64?
    /// The first SUBMIT's `attempt` (default 1).
    public var baseAttempt: Int64 = 1
    /// `ScheduledToRestart` events that took effect.
    public var restarts: Int64 = 0

    // Times, epoch milliseconds.
    public var submitTime: Int64?
    public var startTime: Int64?
    public var endTime: Int64?
    public var cancelRequestedTime: Int64?
    public var resourcesReleasedTime: Int64?

    /// The last METRICS_SUMMARY in fold order, and its payload as canonical JSON.
    public var metrics: MetricsSummary?
    public var metricsJSON: String?

    public var eventCount: Int64 = 0
    public var lastEventTime: Int64?
    public var hasSubmit = false
    /// The last event folded in. An event that sorts after it can be applied to this snapshot
    /// directly; one that sorts before it needs a refold of the whole execution.
    public var foldCursor: FoldKey?

    public init(executionID: String) {
        self.executionID = executionID
    }

    public var attempt: Int64 { baseAttempt + restarts }

    /// Time from submit to start: `max(0, start_time − submit_time)`.
    public var queueMs: Int64? {
        guard let startTime, let submitTime else { return nil }
        return max(0, startTime - submitTime)
    }

    /// `end_time − (start_time ?? submit_time)`, clamped at 0.
    public var durationMs: Int64? {
        guard let endTime, let begin = startTime ?? submitTime else { return nil }
        return max(0, endTime - begin)
    }

    /// No SUBMIT seen yet: identity unknown.
    public var incomplete: Bool { !hasSubmit }

    /// Cost under `prices`, once the execution has metrics (contract §6).
    public func costUSD(prices: PriceConfiguration) -> Double? {
        metrics.map { CostModel(prices: prices).cost(of: $0) }
    }
}
