import SparkLedgerCore
import Testing

/// Builds events the way the pipeline does: JSON text through the real validator.
enum EventFactory {
    static let base: Int64 = 1_790_000_000_000  // 2026-09-21
    static let ingestTime: Int64 = 1_800_000_000_000

    static func envelope(_ type: String, at offset: Int64, id: String, execution: String = "exec-1",
                         payload: String, source: String = "runner") -> String {
        """
        {"event_id":"\(id)","execution_id":"\(execution)","event_type":"\(type)","timestamp":\(base + offset),"source":"\(source)","schema_version":1,"payload":\(payload)}
        """
    }

    static func make(_ type: String, at offset: Int64, id: String, execution: String = "exec-1", payload: String = "{}",
                     source: String = "runner", sourceLocation: SourceLocation = #_sourceLocation) -> ExecutionEvent {
        let text = envelope(type, at: offset, id: id, execution: execution, payload: payload, source: source)
        switch EventValidator().validate(text, ingestTime: ingestTime) {
        case .success(let event):
            return event
        case .failure(let rejection):
            Issue.record("test event \(id) was rejected: \(rejection)", sourceLocation: sourceLocation)
            return ExecutionEvent(eventID: id, executionID: execution, type: .cancel, timestamp: base, source: .runner,
                                  payload: .cancel(CancelPayload()), canonicalPayload: "{}")
        }
    }

    static func submit(_ offset: Int64, id: String = "submit", attempt: Int? = nil, team: String = "ads",
                       job: String = "ads/etl/clicks", extra: String = "") -> ExecutionEvent {
        let attemptField = attempt.map { ",\"attempt\":\($0)" } ?? ""
        return make("SUBMIT", at: offset, id: id, payload: "{\"job_path\":\"\(job)\",\"team\":\"\(team)\"\(attemptField)\(extra)}")
    }

    static func running(_ offset: Int64, id: String = "running", payload: String = "{}") -> ExecutionEvent {
        make("RUNNING", at: offset, id: id, payload: payload)
    }

    static func state(_ offset: Int64, _ name: String, id: String? = nil) -> ExecutionEvent {
        make("STATE", at: offset, id: id ?? "state-\(name)-\(offset)", payload: "{\"operator_state\":\"\(name)\"}", source: "operator")
    }

    static func metrics(_ offset: Int64, id: String = "metrics", _ payload: String) -> ExecutionEvent {
        make("METRICS_SUMMARY", at: offset, id: id, payload: payload, source: "operator")
    }

    static func cancel(_ offset: Int64, id: String = "cancel") -> ExecutionEvent {
        make("CANCEL", at: offset, id: id)
    }

    static func terminal(_ offset: Int64, _ finalState: String, id: String = "terminal", errorClass: String? = nil,
                         exitCode: Int? = nil, message: String? = nil) -> ExecutionEvent {
        var payload = "{\"final_state\":\"\(finalState)\""
        if let errorClass { payload += ",\"error_class\":\"\(errorClass)\"" }
        if let exitCode { payload += ",\"exit_code\":\(exitCode)" }
        if let message { payload += ",\"message\":\"\(message)\"" }
        return make("TERMINAL", at: offset, id: id, payload: payload + "}")
    }

    static func fold(_ events: ExecutionEvent...) -> ExecutionSnapshot {
        ExecutionFold.fold(executionID: "exec-1", events: events)
    }
}
