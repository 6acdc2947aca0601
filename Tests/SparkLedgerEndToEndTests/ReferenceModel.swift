import Foundation

/// An independent reading of contract §5–§7, written for the tests from the contract's text with
/// Foundation's JSON parser, to check the pipeline's answers against.
struct ReferenceModel {
    struct Execution {
        var id: String
        var jobPath: String?
        var team: String?
        var state = "SUBMITTED"
        var finalBy = "none"
        var baseAttempt: Int64 = 1
        var restarts: Int64 = 0
        var submitTime: Int64?
        var startTime: Int64?
        var endTime: Int64?
        var events = 0
        var metrics: [String: Double]?
        var hasSubmit = false

        var attempt: Int64 { baseAttempt + restarts }
        var queueMs: Int64? { startTime.flatMap { start in submitTime.map { max(0, start - $0) } } }
        var durationMs: Int64? {
            guard let endTime, let begin = startTime ?? submitTime else { return nil }
            return max(0, endTime - begin)
        }

        var cost: Double? {
            guard let m = metrics else { return nil }
            let f = m["spot_fraction"] ?? 0
            let cpu = (m["executor_core_seconds"] ?? 0) / 3600 * (f * 0.006655 + (1 - f) * 0.031611)
            let ram = (m["executor_memory_mb_seconds"] ?? 0) / 1024 / 3600 * (f * 0.000892 + (1 - f) * 0.004237)
            let driver = (m["driver_core_seconds"] ?? 0) / 3600 * 0.031611 + (m["driver_memory_mb_seconds"] ?? 0) / 1024 / 3600 * 0.004237
            return cpu + ram + driver
        }
    }

    private(set) var executions: [String: Execution] = [:]

    /// Builds the model from NDJSON lines; lines that are not accepted events are skipped by the
    /// caller's `isAccepted` (the validator is not what this model checks).
    init(lines: [Data], isAccepted: (Data) -> Bool) {
        var firstByID: [String: [String: Any]] = [:]
        var order: [String] = []
        for line in lines where isAccepted(line) {
            guard let event = try? JSONSerialization.jsonObject(with: line) as? [String: Any], let id = event["event_id"] as? String else { continue }
            if firstByID[id] == nil {
                firstByID[id] = event
                order.append(id)
            }
        }
        var byExecution: [String: [[String: Any]]] = [:]
        for id in order {
            let event = firstByID[id] ?? [:]
            byExecution[event["execution_id"] as? String ?? "", default: []].append(event)
        }
        let rank = ["SUBMIT": 0, "STATE": 1, "RUNNING": 2, "METRICS_SUMMARY": 3, "CANCEL": 4, "TERMINAL": 5]
        for (executionID, events) in byExecution {
            let sorted = events.sorted { a, b in
                let ta = (a["timestamp"] as? NSNumber)?.int64Value ?? 0
                let tb = (b["timestamp"] as? NSNumber)?.int64Value ?? 0
                if ta != tb { return ta < tb }
                let ra = rank[a["event_type"] as? String ?? ""] ?? 9
                let rb = rank[b["event_type"] as? String ?? ""] ?? 9
                if ra != rb { return ra < rb }
                return Array((a["event_id"] as? String ?? "").utf8).lexicographicallyPrecedes(Array((b["event_id"] as? String ?? "").utf8))
            }
            var execution = Execution(id: executionID)
            for event in sorted { Self.apply(event, to: &execution) }
            executions[executionID] = execution
        }
    }

    private static func apply(_ event: [String: Any], to e: inout Execution) {
        let t = (event["timestamp"] as? NSNumber)?.int64Value ?? 0
        let payload = event["payload"] as? [String: Any] ?? [:]
        e.events += 1
        let isFinal = ["SUCCEEDED", "FAILED", "CANCELLED"].contains(e.state)
        switch event["event_type"] as? String {
        case "SUBMIT":
            if !e.hasSubmit {
                e.hasSubmit = true
                e.jobPath = payload["job_path"] as? String
                e.team = payload["team"] as? String
                e.baseAttempt = (payload["attempt"] as? NSNumber)?.int64Value ?? 1
                e.submitTime = t
            }
        case "RUNNING":
            if e.finalBy == "none" {
                e.state = "RUNNING"
                if e.startTime == nil { e.startTime = t }
            }
        case "STATE":
            let s = payload["operator_state"] as? String ?? ""
            if s == "ResourceReleased" || s == "TerminatedWithoutReleaseResources" || e.finalBy == "runner" { return }
            if e.finalBy == "operator" {
                if s == "ScheduledToRestart" {
                    e.restarts += 1
                    e.state = "SUBMITTED"
                    e.finalBy = "none"
                    e.endTime = nil
                }
                return
            }
            switch s {
            case "ScheduledToRestart": e.restarts += 1; e.state = "SUBMITTED"
            case "DriverStarted", "DriverReady", "InitializedBelowThresholdExecutors", "RunningHealthy", "RunningWithBelowThresholdExecutors":
                e.state = "RUNNING"
                if e.startTime == nil { e.startTime = t }
            case "Succeeded": e.state = "SUCCEEDED"; e.finalBy = "operator"; e.endTime = t
            case "Failed", "DriverEvicted", "DriverReadyTimedOut", "DriverStartTimedOut", "ExecutorsStartTimedOut", "SchedulingFailure":
                e.state = "FAILED"; e.finalBy = "operator"; e.endTime = t
            default: break
            }
        case "METRICS_SUMMARY":
            e.metrics = payload.compactMapValues { ($0 as? NSNumber)?.doubleValue }
        case "CANCEL":
            if !isFinal { e.state = "CANCELLED"; e.finalBy = "runner"; e.endTime = t }
        case "TERMINAL":
            if e.finalBy != "runner" {
                e.state = payload["final_state"] as? String ?? e.state
                e.finalBy = "runner"
                e.endTime = t
            }
        default: break
        }
    }
}
