import SparkLedgerCore

/// One event of a synthetic execution before it gets an id and a delivery time.
struct PlannedEvent {
    var time: Int64
    var type: EventType
    var source: EventSource
    var payload: JSONObject
}

/// How a synthetic execution ends.
enum PlannedOutcome {
    case succeeded
    case userFailure
    case outOfMemory
    case infrastructureFailure
    case cancelled
}

/// Plays one execution of a job from submit to resource release, as the runner and the operator
/// would report it.
struct ExecutionLifecycle {
    let job: JobProfile
    let executionID: String
    let submitTime: Int64
    let attempt: Int64
    let parentExecutionID: String?
    /// Days since the history began: drives input growth.
    let day: Double

    private(set) var events: [PlannedEvent] = []
    private(set) var outcome: PlannedOutcome = .succeeded

    init(job: JobProfile, executionID: String, submitTime: Int64, attempt: Int64, parentExecutionID: String?, day: Double) {
        self.job = job
        self.executionID = executionID
        self.submitTime = submitTime
        self.attempt = attempt
        self.parentExecutionID = parentExecutionID
        self.day = day
    }

    private mutating func emit(_ time: Int64, _ type: EventType, _ source: EventSource, _ payload: JSONObject = JSONObject()) {
        events.append(PlannedEvent(time: time, type: type, source: source, payload: payload))
    }

    private mutating func state(_ time: Int64, _ name: String, message: String? = nil, attempt operatorAttempt: Int64 = 0) {
        var payload = JSONObject([.init("operator_state", .string(name)), .init("attempt", .int(operatorAttempt))])
        if let message { payload.set("message", .string(message)) }
        emit(time, .state, .operator, payload)
    }

    mutating func play(_ random: inout RandomSource) {
        let vendorRunID = "spark-" + String(random.uuid().filter { $0 != "-" }.prefix(20))
        emit(submitTime, .submit, .runner, submitPayload(vendorRunID: vendorRunID))

        // What this run really needs.
        let growth = pow(1 + job.inputGrowthPerDay, day)
        let inputBytes = job.baseInputBytes * growth * random.logNormal(median: 1, sigma: 0.12)
        let peakExecutorMemory = Double(job.executorMemoryMB) / job.memoryOverprovision * pow(growth, 0.35)
            * random.logNormal(median: 1, sigma: 0.07)
        let willOOM = peakExecutorMemory > Double(job.executorMemoryMB) * 0.97

        outcome = random.pick([
            (PlannedOutcome.succeeded, 1.0 - job.userFailureRate - 0.045),
            (.userFailure, job.userFailureRate),
            (.infrastructureFailure, 0.012),
            (.cancelled, 0.033),
        ])
        if willOOM && outcome == .succeeded { outcome = .outOfMemory }

        var t = submitTime + random.integer(150...600)
        state(t, "Submitted")
        t += random.integer(800...2500)
        state(t, "DriverRequested")
        let queueSeconds = job.vendor == "SK8"
            ? random.logNormal(median: 22, sigma: 0.5).clamped(to: 4...600)
            : random.uniform(360...480)

        if outcome == .cancelled && random.chance(0.3) {
            // Cancelled while still queued.
            let cancelAt = t + Int64(queueSeconds * 1000 * random.uniform(0.2...0.9))
            emit(cancelAt, .cancel, .runner, JSONObject([.init("requested_by", .string(job.owner)), .init("reason", .string("superseded by a newer run"))]))
            emit(cancelAt + random.integer(500...3000), .terminal, .runner, JSONObject([.init("final_state", .string("CANCELLED"))]))
            state(cancelAt + random.integer(3000...20000), "ResourceReleased")
            return
        }
        if outcome == .infrastructureFailure {
            let failAt = t + Int64(queueSeconds * 1000) + random.integer(30_000...300_000)
            let name = random.pick(["SchedulingFailure", "DriverStartTimedOut", "ExecutorsStartTimedOut"])
            state(failAt, name, message: "timed out waiting for pods on node pool spot-\(random.integer(1...9))")
            emit(failAt + random.integer(1000...6000), .terminal, .runner, JSONObject([
                .init("final_state", .string("FAILED")), .init("error_class", .string("SYSTEM")),
                .init("message", .string("operator reported \(name)")),
            ]))
            state(failAt + random.integer(5000...40000), "ResourceReleased")
            return
        }

        var start = t + Int64(queueSeconds * 1000)
        state(start, "DriverStarted")
        emit(start + random.integer(1500...8000), .running, .runner, JSONObject([
            .init("vendor_run_id", .string(vendorRunID)),
            .init("spark_ui_url", .string("https://shs.sk8.internal/history/\(vendorRunID)")),
            .init("logs_url", .string("https://logs.sk8.internal/\(job.namespace)/\(vendorRunID)")),
        ]))
        state(start + random.integer(5000...20000), "DriverReady")
        state(start + random.integer(20_000...60_000), random.chance(0.1) ? "RunningWithBelowThresholdExecutors" : "RunningHealthy")

        // Operator restart: the driver dies once and the operator runs a second attempt.
        if random.chance(0.025) {
            let diesAt = start + random.integer(60_000...600_000)
            state(diesAt, "Failed", message: "driver pod evicted: node drained")
            state(diesAt + random.integer(1000...5000), "ScheduledToRestart", attempt: 0)
            start = diesAt + random.integer(20_000...90_000)
            state(start - 5000, "Submitted", attempt: 1)
            state(start - 3000, "DriverRequested", attempt: 1)
            state(start, "DriverStarted", attempt: 1)
            state(start + random.integer(20_000...60_000), "RunningHealthy", attempt: 1)
        }

        var durationSeconds = job.baseDurationSeconds * pow(growth, 0.8) * random.logNormal(median: 1, sigma: 0.15)
        switch outcome {
        case .userFailure, .outOfMemory: durationSeconds *= random.uniform(0.1...0.7)
        case .cancelled: durationSeconds *= random.uniform(0.05...0.8)
        case .succeeded, .infrastructureFailure: break
        }
        let end = start + Int64(max(30, durationSeconds) * 1000)
        let metrics = metricsPayload(inputBytes: inputBytes, peakExecutorMemory: peakExecutorMemory,
                                     seconds: Double(end - start) / 1000, random: &random)
        if durationSeconds > 1200 && random.chance(0.5) {
            emit(start + (end - start) / 2, .metricsSummary, .operator, scaled(metrics, by: 0.5))
        }
        emit(end - random.integer(200...900), .metricsSummary, .operator, metrics)

        switch outcome {
        case .succeeded:
            state(end, "Succeeded")
            emit(end + random.integer(800...5000), .terminal, .runner, JSONObject([.init("final_state", .string("SUCCEEDED"))]))
        case .userFailure:
            state(end, "Failed", message: "driver exited with code 1")
            emit(end + random.integer(800...5000), .terminal, .runner, JSONObject([
                .init("final_state", .string("FAILED")), .init("error_class", .string("USER")), .init("exit_code", .int(1)),
                .init("message", .string(random.pick([
                    "AnalysisException: [TABLE_OR_VIEW_NOT_FOUND] The table or view cannot be found",
                    "SparkException: Job aborted due to stage failure: divide by zero",
                    "IllegalArgumentException: requirement failed: schema mismatch on column amount",
                ]))),
            ]))
        case .outOfMemory:
            state(end, "Failed", message: "Executor lost: Container killed by Kubernetes: OOMKilled (exit code 137)")
            emit(end + random.integer(800...5000), .terminal, .runner, JSONObject([
                .init("final_state", .string("FAILED")), .init("error_class", .string("SYSTEM")), .init("exit_code", .int(137)),
                .init("message", .string("ExecutorLostFailure: Container killed by Kubernetes: OOMKilled, exit code 137")),
            ]))
        case .cancelled:
            emit(end, .cancel, .runner, JSONObject([.init("requested_by", .string(job.owner))]))
            state(end + random.integer(2000...8000), "Failed", message: "driver killed on request")
            emit(end + random.integer(800...3000), .terminal, .runner, JSONObject([.init("final_state", .string("CANCELLED"))]))
        case .infrastructureFailure:
            break
        }
        state(end + random.integer(10_000...60_000), random.chance(0.97) ? "ResourceReleased" : "TerminatedWithoutReleaseResources")
    }

    private func submitPayload(vendorRunID: String) -> JSONObject {
        var payload = JSONObject([
            .init("job_path", .string(job.jobPath)),
            .init("team", .string(job.team)),
            .init("owner", .string(job.owner)),
            .init("namespace", .string(job.namespace)),
            .init("vendor", .string(job.vendor)),
            .init("vendor_run_id", .string(vendorRunID)),
            .init("idempotency_key", .string("\(job.jobPath)@\(submitTime / 60_000)#\(attempt)")),
            .init("attempt", .int(attempt)),
            .init("spark_version", .string(job.sparkVersion)),
            .init("resources", .object(JSONObject([
                .init("driver", .object(JSONObject([.init("cores", .int(job.driverCores)), .init("memory_mb", .int(job.driverMemoryMB))]))),
                .init("executor", .object(JSONObject([
                    .init("instances", .int(job.initialExecutors)), .init("cores", .int(job.executorCores)),
                    .init("memory_mb", .int(job.executorMemoryMB)),
                ]))),
                .init("dynamic_allocation", .object(JSONObject([
                    .init("enabled", .bool(true)), .init("min_executors", .int(job.minExecutors)),
                    .init("max_executors", .int(job.maxExecutors)), .init("initial_executors", .int(job.initialExecutors)),
                ]))),
            ]))),
            .init("labels", .object(JSONObject([.init("tier", .string(job.tier)), .init("schedule", .string("every-\(job.periodHours)h"))]))),
        ])
        if let parentExecutionID { payload.set("parent_execution_id", .string(parentExecutionID)) }
        return payload
    }

    private func metricsPayload(inputBytes: Double, peakExecutorMemory: Double, seconds: Double, random: inout RandomSource) -> JSONObject {
        let demand = (job.executorDemand * Double(job.maxExecutors) * random.logNormal(median: 1, sigma: 0.1))
        let executorsPeak = Int64(demand.clamped(to: Double(job.minExecutors)...Double(job.maxExecutors)).rounded(.up))
        let averageExecutors = Double(executorsPeak) * random.uniform(0.55...0.85)
        let coreSeconds = averageExecutors * Double(job.executorCores) * seconds
        let memoryMBSeconds = averageExecutors * Double(job.executorMemoryMB) * seconds
        let cpuMs = coreSeconds * job.cpuUtilization * 1000
        let shuffleWrite = inputBytes * job.shuffleRatio * random.logNormal(median: 1, sigma: 0.1)
        let shuffleRead = shuffleWrite * random.uniform(0.97...1.0)
        let stages = random.integer(2...24)
        let tasks = Int64((inputBytes / 134_217_728).rounded(.up)) * max(1, stages / 2) + stages
        let fetchFailures: Int64 = random.chance(0.02) ? random.integer(1...20) : 0
        let memorySpill = job.spillProne ? shuffleWrite * random.uniform(0.1...0.6) : 0
        let added = executorsPeak + (random.chance(0.4) ? random.integer(0...executorsPeak) : 0)
        let values: [(String, JSONValue)] = [
            ("executors_peak", .int(executorsPeak)),
            ("executors_added", .int(added)),
            ("executors_removed", .int(added)),
            ("executor_core_seconds", .number((coreSeconds * 10).rounded() / 10)),
            ("executor_memory_mb_seconds", .number(memoryMBSeconds.rounded())),
            ("driver_core_seconds", .number((Double(job.driverCores) * seconds * 10).rounded() / 10)),
            ("driver_memory_mb_seconds", .number((Double(job.driverMemoryMB) * seconds).rounded())),
            ("spot_fraction", .number(job.spotFraction)),
            ("tasks", .int(tasks)),
            ("failed_tasks", .int(random.chance(0.1) ? random.integer(1...12) : 0)),
            ("stages", .int(stages)),
            ("failed_stages", .int(fetchFailures > 0 ? 1 : 0)),
            ("shuffle_read_bytes", .int(Int64(shuffleRead))),
            ("shuffle_write_bytes", .int(Int64(shuffleWrite))),
            ("shuffle_read_records", .int(Int64(shuffleRead / 220))),
            ("shuffle_write_records", .int(Int64(shuffleWrite / 220))),
            ("shuffle_fetch_failures", .int(fetchFailures)),
            ("shuffle_fetch_wait_ms", .int(Int64(shuffleRead / 400_000_000 * 1000))),
            ("memory_spill_bytes", .int(Int64(memorySpill))),
            ("disk_spill_bytes", .int(Int64(memorySpill * 0.35))),
            ("input_bytes", .int(Int64(inputBytes))),
            ("output_bytes", .int(Int64(inputBytes * random.uniform(0.02...0.6)))),
            ("executor_run_time_ms", .int(Int64(coreSeconds * min(1, job.cpuUtilization + 0.12) * 1000))),
            ("executor_cpu_time_ms", .int(Int64(cpuMs))),
            ("peak_executor_memory_mb", .number(min(peakExecutorMemory, Double(job.executorMemoryMB)).rounded())),
            ("peak_driver_memory_mb", .number((Double(job.driverMemoryMB) * random.uniform(0.2...0.6)).rounded())),
        ]
        return JSONObject(values.map { JSONObject.Member($0.0, $0.1) })
    }

    /// An earlier cumulative summary: counters scaled down, ratios and peaks kept.
    private func scaled(_ metrics: JSONObject, by factor: Double) -> JSONObject {
        let keep: Set<String> = ["spot_fraction", "executors_peak", "peak_executor_memory_mb", "peak_driver_memory_mb", "stages"]
        return JSONObject(metrics.members.map { member in
            guard !keep.contains(member.key) else { return member }
            switch member.value {
            case .int(let value): return .init(member.key, .int(Int64(Double(value) * factor)))
            case .double(let value): return .init(member.key, .number((value * factor).rounded()))
            default: return member
            }
        })
    }
}

#if canImport(Glibc)
import Glibc
#endif
