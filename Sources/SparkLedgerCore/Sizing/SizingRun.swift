/// One past execution of a job as the sizing model sees it: when it ran, how it ended, what it
/// asked for and what it used.
public struct SizingRun: Sendable, Equatable {
    public var executionID: String
    public var submitTime: Int64
    public var state: ExecutionState
    /// The run failed because a container ran out of memory (exit code 137, OOMKilled, an
    /// OutOfMemoryError in its final message).
    public var outOfMemory: Bool
    public var requested: RequestedResources?
    public var metrics: MetricsSummary?
    public var durationMs: Int64?

    public init(executionID: String, submitTime: Int64, state: ExecutionState, outOfMemory: Bool = false,
                requested: RequestedResources? = nil, metrics: MetricsSummary? = nil, durationMs: Int64? = nil) {
        self.executionID = executionID
        self.submitTime = submitTime
        self.state = state
        self.outOfMemory = outOfMemory
        self.requested = requested
        self.metrics = metrics
        self.durationMs = durationMs
    }

    /// The run of a snapshot; nil while it has no SUBMIT (no time to weigh it by).
    public init?(_ snapshot: ExecutionSnapshot) {
        guard let submitTime = snapshot.submitTime else { return nil }
        self.init(executionID: snapshot.executionID, submitTime: submitTime, state: snapshot.state,
                  outOfMemory: snapshot.state == .failed && Self.isOutOfMemory(exitCode: snapshot.exitCode, message: snapshot.errorMessage),
                  requested: snapshot.resources, metrics: snapshot.metrics, durationMs: snapshot.durationMs)
    }

    /// Exit code 137 (SIGKILL, what the kernel's OOM killer and Kubernetes' OOMKilled leave) or a
    /// message naming an out-of-memory failure.
    public static func isOutOfMemory(exitCode: Int64?, message: String?) -> Bool {
        if exitCode == 137 { return true }
        guard let message = message?.lowercased() else { return false }
        return ["oomkilled", "outofmemoryerror", "out of memory", "exit code 137", "exceeding memory limits"].contains { message.contains($0) }
    }
}
