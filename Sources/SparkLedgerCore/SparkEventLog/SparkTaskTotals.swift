/// Task counts and task metrics summed over an application's SparkListenerTaskEnd events.
public struct SparkTaskTotals: Sendable, Equatable {
    public var tasks: Int64 = 0
    public var completedTasks: Int64 = 0
    public var failedTasks: Int64 = 0
    public var killedTasks: Int64 = 0
    /// Failed tasks whose reason was a shuffle fetch failure.
    public var fetchFailures: Int64 = 0
    public var executorRunTimeMs: Int64 = 0
    public var executorCPUTimeNs: Int64 = 0
    public var inputBytes: Int64 = 0
    public var outputBytes: Int64 = 0
    /// Remote + local bytes read.
    public var shuffleReadBytes: Int64 = 0
    public var shuffleReadRecords: Int64 = 0
    public var shuffleFetchWaitMs: Int64 = 0
    public var shuffleWriteBytes: Int64 = 0
    public var shuffleWriteRecords: Int64 = 0
    public var memorySpillBytes: Int64 = 0
    public var diskSpillBytes: Int64 = 0

    public init() {}

    /// Counts a task by its end reason, as the History Server does: Success completes,
    /// TaskKilled and TaskCommitDenied are killed, every other reason failed.
    mutating func count(reason: String?) {
        tasks += 1
        switch reason {
        case "Success": completedTasks += 1
        case "TaskKilled", "TaskCommitDenied": killedTasks += 1
        default:
            failedTasks += 1
            if reason == "FetchFailed" { fetchFailures += 1 }
        }
    }

    /// Adds a task's "Task Metrics" object; fields a Spark version does not write count as 0.
    mutating func add(_ metrics: JSONObject) {
        executorRunTimeMs &+= metrics.int("Executor Run Time") ?? 0
        executorCPUTimeNs &+= metrics.int("Executor CPU Time") ?? 0
        memorySpillBytes &+= metrics.int("Memory Bytes Spilled") ?? 0
        diskSpillBytes &+= metrics.int("Disk Bytes Spilled") ?? 0
        if let input = metrics.object("Input Metrics") { inputBytes &+= input.int("Bytes Read") ?? 0 }
        if let output = metrics.object("Output Metrics") { outputBytes &+= output.int("Bytes Written") ?? 0 }
        if let read = metrics.object("Shuffle Read Metrics") {
            shuffleReadBytes &+= (read.int("Remote Bytes Read") ?? 0) &+ (read.int("Local Bytes Read") ?? 0)
            shuffleReadRecords &+= read.int("Total Records Read") ?? 0
            shuffleFetchWaitMs &+= read.int("Fetch Wait Time") ?? 0
        }
        if let write = metrics.object("Shuffle Write Metrics") {
            shuffleWriteBytes &+= write.int("Shuffle Bytes Written") ?? 0
            shuffleWriteRecords &+= write.int("Shuffle Records Written") ?? 0
        }
    }
}
