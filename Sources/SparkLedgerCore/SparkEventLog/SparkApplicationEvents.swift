/// Where an imported application's job_path comes from.
public enum SparkJobPathSource: Sendable, Equatable {
    /// The application's name (`spark.app.name`).
    case appName
    /// A Spark property, e.g. `spark.kubernetes.driver.label.job-path`.
    case property(String)
}

/// What is wrong with an event log as a Spark application, in a sentence.
public struct SparkEventLogError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// The ExecutionEvents (source `importer`) of one Spark application's event log (docs/SPARK-IMPORT.md):
///
/// - SUBMIT at the application's start: job_path, team, owner (the Spark user), namespace
///   (`spark.kubernetes.namespace`), vendor_run_id (the application id), spark_version and the
///   requested resources from its Spark properties;
/// - RUNNING at the same time;
/// - METRICS_SUMMARY at its end (or its last event, while it runs): task metrics, tasks, stages,
///   executors and their core- and memory-seconds, peak JVM heap;
/// - TERMINAL at its end, when the log has one: SUCCEEDED when every job succeeded (and the exit
///   code, when given, is 0), FAILED otherwise.
///
/// The execution_id is the application id, with `-<attempt>` when the log names an attempt. Event
/// ids are derived from it, so importing a log twice stores nothing twice; a log imported again
/// after it grew adds a newer METRICS_SUMMARY (its id carries its time) and the TERMINAL.
public struct SparkApplicationEvents: Sendable {
    public var executionID: String
    public var jobPath: String
    public var team: String
    /// Final state, or nil while the application runs.
    public var finalState: String?
    public var metrics: MetricsSummary
    /// The envelopes, in fold order.
    public var envelopes: [JSONObject]

    public init(_ log: SparkApplicationLog, team: String?, jobPathFrom source: SparkJobPathSource) throws(SparkEventLogError) {
        guard let appID = log.appID, let start = log.startTime else {
            throw SparkEventLogError("no SparkListenerApplicationStart: not the event log of a Spark application")
        }
        var executionID = appID
        if let attempt = log.attemptID, !attempt.isEmpty { executionID += "-\(attempt)" }
        guard Contract.isValidExecutionID(executionID) else {
            throw SparkEventLogError("application id \"\(executionID)\" is not a valid execution_id (1–128 of A-Z a-z 0-9 . _ : -)")
        }
        self.executionID = executionID

        switch source {
        case .appName:
            guard let name = log.appName ?? log.configuration["spark.app.name"], !name.isEmpty else {
                throw SparkEventLogError("application \(appID) has no name to take the job_path from")
            }
            jobPath = name
        case .property(let key):
            guard let value = log.configuration[key], !value.isEmpty else {
                throw SparkEventLogError("application \(appID) has no Spark property \(key) to take the job_path from")
            }
            jobPath = value
        }
        let namespace = log.configuration["spark.kubernetes.namespace"]
        guard let team = team ?? log.configuration["spark.kubernetes.driver.label.team"]
            ?? namespace.flatMap({ $0.hasPrefix("sjns-") && $0.count > 5 ? String($0.dropFirst(5)) : nil }) else {
            throw SparkEventLogError("application \(appID) names no team (no spark.kubernetes.driver.label.team, no sjns-<team> namespace): give --team")
        }
        self.team = team

        let end = log.endTime
        let last = end ?? max(log.lastEventTime ?? start, start)
        metrics = Self.metrics(log, start: start, until: last)
        if end != nil {
            let failedJob = log.jobResults.values.contains(false)
            let badExit = (log.exitCode ?? 0) != 0
            finalState = failedJob || badExit ? "FAILED" : "SUCCEEDED"
        }

        func envelope(_ type: String, _ suffix: String, _ time: Int64, _ payload: [JSONObject.Member]) -> JSONObject {
            JSONObject([
                .init("event_id", .string("\(executionID):importer:\(suffix)")), .init("execution_id", .string(executionID)),
                .init("event_type", .string(type)), .init("timestamp", .int(time)), .init("source", .string("importer")),
                .init("schema_version", .int(1)), .init("payload", .object(JSONObject(payload))),
            ])
        }
        var submit: [JSONObject.Member] = [.init("job_path", .string(jobPath)), .init("team", .string(team))]
        if let user = log.user, !user.isEmpty { submit.append(.init("owner", .string(user))) }
        if let namespace, !namespace.isEmpty { submit.append(.init("namespace", .string(namespace))) }
        submit.append(.init("vendor_run_id", .string(appID)))
        if let attempt = log.attemptID.flatMap({ Int64($0) }), attempt >= 1 { submit.append(.init("attempt", .int(attempt))) }
        if let version = log.sparkVersion { submit.append(.init("spark_version", .string(version))) }
        submit.append(.init("resources", .object(Self.resources(log.configuration, profiles: log.profiles))))
        if let name = log.appName { submit.append(.init("labels", .object(JSONObject([.init("spark_app_name", .string(name))])))) }

        envelopes = [
            envelope("SUBMIT", "submit", start, submit),
            envelope("RUNNING", "running", start, [.init("vendor_run_id", .string(appID))]),
            envelope("METRICS_SUMMARY", "metrics:\(last)", last, metrics.jsonMembers),
        ]
        if let end, let finalState {
            var terminal: [JSONObject.Member] = [.init("final_state", .string(finalState))]
            if finalState == "FAILED" {
                let message = log.firstJobFailure.map { String($0.split(separator: "\n").first ?? "") } ?? "exit code \(log.exitCode ?? 0)"
                terminal.append(.init("message", .string(String(message.prefix(2000)))))
            }
            if let code = log.exitCode { terminal.append(.init("exit_code", .int(code))) }
            envelopes.append(envelope("TERMINAL", "terminal", end, terminal))
        }
    }

    /// Executor memory (MiB) of an executor: its resource profile's, else `spark.executor.memory`,
    /// else Spark's default of 1 GiB.
    private static func executorMemoryMB(_ configuration: SparkConfiguration, profile: (memoryMB: Int64?, cores: Int64?)?) -> Int64 {
        profile?.memoryMB ?? configuration.megabytes("spark.executor.memory") ?? 1024
    }

    private static func resources(_ configuration: SparkConfiguration, profiles: [Int64: (memoryMB: Int64?, cores: Int64?)]) -> JSONObject {
        let driver = JSONObject([
            .init("cores", .int(max(1, configuration.integer("spark.driver.cores") ?? 1))),
            .init("memory_mb", .int(max(1, configuration.megabytes("spark.driver.memory") ?? 1024))),
        ])
        var executor: [JSONObject.Member] = []
        if let instances = configuration.integer("spark.executor.instances"), instances >= 0 { executor.append(.init("instances", .int(instances))) }
        executor.append(.init("cores", .int(max(1, configuration.integer("spark.executor.cores") ?? profiles[0]?.cores ?? 1))))
        executor.append(.init("memory_mb", .int(max(1, executorMemoryMB(configuration, profile: profiles[0])))))
        var dynamic: [JSONObject.Member] = [.init("enabled", .bool(configuration.bool("spark.dynamicAllocation.enabled") ?? false))]
        for (key, name) in [("spark.dynamicAllocation.minExecutors", "min_executors"), ("spark.dynamicAllocation.maxExecutors", "max_executors"),
                            ("spark.dynamicAllocation.initialExecutors", "initial_executors")] {
            if let value = configuration.integer(key), value >= 0 { dynamic.append(.init(name, .int(value))) }
        }
        return JSONObject([
            .init("driver", .object(driver)), .init("executor", .object(JSONObject(executor))),
            .init("dynamic_allocation", .object(JSONObject(dynamic))),
        ])
    }

    private static func metrics(_ log: SparkApplicationLog, start: Int64, until end: Int64) -> MetricsSummary {
        var summary = MetricsSummary()
        let tasks = log.tasks
        let configuration = log.configuration
        // Executors other than the driver (which runs the tasks itself in local mode, and is
        // costed as the driver).
        let executors = log.executors.filter { $0.key != "driver" }
        var changes: [(time: Int64, delta: Int)] = []
        var coreSeconds = 0.0, memorySeconds = 0.0
        for executor in executors.values {
            guard let added = executor.added else { continue }
            let removed = min(max(executor.removed ?? end, added), max(end, added))
            changes.append((added, 1))
            changes.append((removed, -1))
            let seconds = Double(removed - added) / 1000
            let profile = executor.profile.flatMap { log.profiles[$0] }
            let cores = executor.cores ?? profile?.cores ?? configuration.integer("spark.executor.cores") ?? 1
            coreSeconds += seconds * Double(cores)
            memorySeconds += seconds * Double(executorMemoryMB(configuration, profile: profile))
        }
        // Removals before additions at the same instant: a replacement is not a second executor.
        changes.sort { ($0.time, $0.delta) < ($1.time, $1.delta) }
        var running = 0, peak = 0
        for change in changes {
            running += change.delta
            peak = max(peak, running)
        }
        let driverSeconds = Double(max(0, end - start)) / 1000
        summary.set(.executorsPeak, Double(peak))
        summary.set(.executorsAdded, Double(executors.values.filter { $0.added != nil }.count))
        summary.set(.executorsRemoved, Double(executors.values.filter { $0.removed != nil }.count))
        summary.set(.executorCoreSeconds, (coreSeconds * 1000).rounded() / 1000)
        summary.set(.executorMemoryMBSeconds, (memorySeconds * 1000).rounded() / 1000)
        summary.set(.driverCoreSeconds, driverSeconds * Double(max(1, configuration.integer("spark.driver.cores") ?? 1)))
        summary.set(.driverMemoryMBSeconds, driverSeconds * Double(max(1, configuration.megabytes("spark.driver.memory") ?? 1024)))
        summary.set(.tasks, Double(tasks.tasks))
        summary.set(.failedTasks, Double(tasks.failedTasks))
        summary.set(.stages, Double(log.stageAttempts.count))
        summary.set(.failedStages, Double(log.failedStageAttempts.count))
        summary.set(.shuffleReadBytes, Double(tasks.shuffleReadBytes))
        summary.set(.shuffleWriteBytes, Double(tasks.shuffleWriteBytes))
        summary.set(.shuffleReadRecords, Double(tasks.shuffleReadRecords))
        summary.set(.shuffleWriteRecords, Double(tasks.shuffleWriteRecords))
        summary.set(.shuffleFetchFailures, Double(tasks.fetchFailures))
        summary.set(.shuffleFetchWaitMs, Double(tasks.shuffleFetchWaitMs))
        summary.set(.memorySpillBytes, Double(tasks.memorySpillBytes))
        summary.set(.diskSpillBytes, Double(tasks.diskSpillBytes))
        summary.set(.inputBytes, Double(tasks.inputBytes))
        summary.set(.outputBytes, Double(tasks.outputBytes))
        summary.set(.executorRunTimeMs, Double(tasks.executorRunTimeMs))
        summary.set(.executorCPUTimeMs, Double((tasks.executorCPUTimeNs + 500_000) / 1_000_000))
        let mebibyte = 1_048_576.0
        if let peakHeap = executors.values.map(\.peakJVMHeapBytes).max(), peakHeap > 0 {
            summary.set(.peakExecutorMemoryMB, (Double(peakHeap) / mebibyte).rounded(.up))
        }
        if let driverHeap = log.executors["driver"]?.peakJVMHeapBytes, driverHeap > 0 {
            summary.set(.peakDriverMemoryMB, (Double(driverHeap) / mebibyte).rounded(.up))
        }
        return summary
    }
}

extension MetricsSummary {
    /// The summary's fields as payload members, in the contract's order; absent fields left out.
    var jsonMembers: [JSONObject.Member] {
        Field.allCases.compactMap { field in value(field).map { JSONObject.Member(field.rawValue, .number($0)) } }
    }
}
