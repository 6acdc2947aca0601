/// One Spark application as its event log tells it, folded event by event: identity, Spark
/// properties, how its jobs ended, its stages and tasks, its executors' lifetimes and peak memory.
///
/// Task metrics are summed from every SparkListenerTaskEnd that carries them, successful or not,
/// as the Spark History Server's stage totals are; tasks are counted by their end reason as it
/// counts them (Success completes; TaskKilled and TaskCommitDenied are killed; anything else
/// failed). Unknown events and unknown fields are ignored.
public struct SparkApplicationLog: Sendable {
    public var sparkVersion: String?
    public var appName: String?
    public var appID: String?
    public var attemptID: String?
    public var user: String?
    public var startTime: Int64?
    public var endTime: Int64?
    public var exitCode: Int64?
    public var configuration = SparkConfiguration()
    /// Every job's result: true when it succeeded. Jobs still running are absent.
    public var jobResults: [Int64: Bool] = [:]
    /// The first failed job's exception, if the log gives one.
    public var firstJobFailure: String?
    public var tasks = SparkTaskTotals()
    /// Stage attempts submitted, and those that completed with a failure reason.
    public var stageAttempts: Set<StageAttempt> = []
    public var failedStageAttempts: Set<StageAttempt> = []
    public var executors: [String: Executor] = [:]
    /// Executor memory (MiB) and cores of each resource profile, from SparkListenerResourceProfileAdded.
    public var profiles: [Int64: (memoryMB: Int64?, cores: Int64?)] = [:]
    /// The latest event time seen (milliseconds).
    public var lastEventTime: Int64?

    public struct StageAttempt: Hashable, Sendable {
        public var stage: Int64
        public var attempt: Int64
    }

    public struct Executor: Sendable, Equatable {
        public var added: Int64?
        public var removed: Int64?
        public var cores: Int64?
        public var profile: Int64?
        /// Peak JVM heap in bytes, from task-end and stage executor metrics.
        public var peakJVMHeapBytes: Int64 = 0
    }

    public init() {}

    /// Whether this log has told who the application is.
    public var hasStarted: Bool { appID != nil && startTime != nil }
    public var hasEnded: Bool { endTime != nil }

    /// Folds one event. `name` is its `Event` field.
    public mutating func consume(_ event: JSONObject, name: String) {
        switch name {
        case "SparkListenerTaskEnd": taskEnd(event)
        case "SparkListenerStageSubmitted", "SparkListenerStageCompleted": stage(event, completed: name == "SparkListenerStageCompleted")
        case "SparkListenerStageExecutorMetrics":
            if let id = event.string("Executor ID"), let heap = event.object("Executor Metrics")?.int("JVMHeapMemory") {
                executors[id, default: Executor()].peakJVMHeapBytes = max(executors[id]?.peakJVMHeapBytes ?? 0, heap)
            }
        case "SparkListenerJobEnd":
            guard let job = event.int("Job ID") else { return }
            seen(event.int("Completion Time"))
            let result = event.object("Job Result")
            let succeeded = result?.string("Result") == "JobSucceeded"
            jobResults[job] = succeeded
            if !succeeded && firstJobFailure == nil {
                firstJobFailure = result?.object("Exception")?.string("Message") ?? result?.string("Result")
            }
        case "SparkListenerExecutorAdded":
            guard let id = event.string("Executor ID") else { return }
            let time = event.int("Timestamp")
            seen(time)
            let info = event.object("Executor Info")
            var executor = executors[id] ?? Executor()
            executor.added = time
            executor.cores = info?.int("Total Cores")
            executor.profile = info?.int("Resource Profile Id")
            executors[id] = executor
        case "SparkListenerExecutorRemoved":
            guard let id = event.string("Executor ID") else { return }
            let time = event.int("Timestamp")
            seen(time)
            executors[id, default: Executor()].removed = time
        case "SparkListenerApplicationStart":
            appName = event.string("App Name")
            appID = event.string("App ID")
            attemptID = event.string("App Attempt ID")
            user = event.string("User")
            startTime = event.int("Timestamp")
            seen(startTime)
        case "SparkListenerApplicationEnd":
            endTime = event.int("Timestamp")
            exitCode = event.int("ExitCode")
            seen(endTime)
        case "SparkListenerEnvironmentUpdate":
            configuration = SparkConfiguration(Self.properties(event["Spark Properties"]))
        case "SparkListenerResourceProfileAdded":
            guard let id = event.int("Resource Profile Id") else { return }
            let requests = event.object("Executor Resource Requests")
            profiles[id] = (requests?.object("memory")?.int("Amount"), requests?.object("cores")?.int("Amount"))
        case "SparkListenerLogStart":
            sparkVersion = event.string("Spark Version")
        default:
            break
        }
    }

    /// The events this fold reads; a reader may skip every other line without parsing it.
    public static let eventsUsed: Set<String> = [
        "SparkListenerTaskEnd", "SparkListenerStageSubmitted", "SparkListenerStageCompleted", "SparkListenerStageExecutorMetrics",
        "SparkListenerJobEnd", "SparkListenerExecutorAdded", "SparkListenerExecutorRemoved", "SparkListenerApplicationStart",
        "SparkListenerApplicationEnd", "SparkListenerEnvironmentUpdate", "SparkListenerResourceProfileAdded", "SparkListenerLogStart",
    ]

    /// Members of the used events this fold never reads, and large: accumulator updates (well
    /// over half of a task end's bytes), the classpath and system properties of the environment.
    public static let unusedMembers: JSONParser.OmittedMembers = ["Accumulables", "Classpath Entries", "System Properties", "Hadoop Properties"]

    private mutating func taskEnd(_ event: JSONObject) {
        guard let info = event.object("Task Info") else { return }
        seen(info.int("Finish Time"))
        let reason = event.object("Task End Reason")?.string("Reason")
        tasks.count(reason: reason)
        if let metrics = event.object("Task Metrics") { tasks.add(metrics) }
        if let id = info.string("Executor ID"), let heap = event.object("Task Executor Metrics")?.int("JVMHeapMemory"), heap > 0 {
            executors[id, default: Executor()].peakJVMHeapBytes = max(executors[id]?.peakJVMHeapBytes ?? 0, heap)
        }
    }

    private mutating func stage(_ event: JSONObject, completed: Bool) {
        guard let info = event.object("Stage Info"), let stage = info.int("Stage ID") else { return }
        let attempt = StageAttempt(stage: stage, attempt: info.int("Stage Attempt ID") ?? info.int("Attempt ID") ?? 0)
        stageAttempts.insert(attempt)
        if completed {
            seen(info.int("Completion Time"))
            if info["Failure Reason"]?.stringValue != nil { failedStageAttempts.insert(attempt) }
        }
    }

    private mutating func seen(_ time: Int64?) {
        guard let time, time > 0 else { return }
        lastEventTime = max(lastEventTime ?? time, time)
    }

    /// Spark properties: an object in Spark 3 and 4, an array of [key, value] pairs before.
    private static func properties(_ value: JSONValue?) -> [String: String] {
        var properties: [String: String] = [:]
        switch value {
        case .object(let object)?:
            for member in object.members { if let text = member.value.stringValue { properties[member.key] = text } }
        case .array(let pairs)?:
            for case .array(let pair) in pairs where pair.count == 2 {
                if let key = pair[0].stringValue, let text = pair[1].stringValue { properties[key] = text }
            }
        default:
            break
        }
        return properties
    }
}

extension JSONObject {
    func string(_ key: String) -> String? { self[key]?.stringValue }

    func object(_ key: String) -> JSONObject? { self[key]?.objectValue }

    /// An integer member; Spark writes some numbers as strings (accumulator values).
    func int(_ key: String) -> Int64? {
        switch self[key] {
        case .int(let value)?: return value
        case .double(let value)?: return Int64(exactly: value.rounded(.down))
        case .string(let text)?: return Int64(text)
        default: return nil
        }
    }
}
