extension ExecutionSnapshot {
    /// The snapshot's keys, in the order users and scripts see them (`executions --format json`).
    public static let contractKeys: [String] = [
        "execution_id", "job_path", "team", "owner", "namespace", "vendor", "vendor_run_id", "state",
        "operator_state", "attempt", "final_by", "failure_kind", "error_class", "submit_time", "start_time",
        "end_time", "cancel_requested_time", "resources_released_time", "queue_ms", "duration_ms",
        "event_count", "last_event_time", "incomplete", "cost_usd", "metrics", "spark_ui_url", "logs_url",
        "parent_execution_id",
    ]

    /// The snapshot as the contract's snake_case object. Times are epoch milliseconds; absent
    /// values are null; `metrics` is the last METRICS_SUMMARY payload object.
    public func contractJSON(costUSD: Double?) -> JSONObject {
        func string(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        func integer(_ value: Int64?) -> JSONValue { value.map(JSONValue.int) ?? .null }
        let metricsValue: JSONValue
        if let metricsJSON, let parsed = try? JSONParser.parse(metricsJSON) {
            metricsValue = parsed
        } else {
            metricsValue = .null
        }
        let members: [JSONObject.Member] = [
            .init("execution_id", .string(executionID)),
            .init("job_path", string(jobPath)),
            .init("team", string(team)),
            .init("owner", string(owner)),
            .init("namespace", string(namespace)),
            .init("vendor", string(vendor?.rawValue)),
            .init("vendor_run_id", string(vendorRunID)),
            .init("state", .string(state.rawValue)),
            .init("operator_state", string(operatorState)),
            .init("attempt", .int(attempt)),
            .init("final_by", .string(finalBy.rawValue)),
            .init("failure_kind", string(failureKind?.rawValue)),
            .init("error_class", string(errorClass?.rawValue)),
            .init("submit_time", integer(submitTime)),
            .init("start_time", integer(startTime)),
            .init("end_time", integer(endTime)),
            .init("cancel_requested_time", integer(cancelRequestedTime)),
            .init("resources_released_time", integer(resourcesReleasedTime)),
            .init("queue_ms", integer(queueMs)),
            .init("duration_ms", integer(durationMs)),
            .init("event_count", .int(eventCount)),
            .init("last_event_time", integer(lastEventTime)),
            .init("incomplete", .bool(incomplete)),
            .init("cost_usd", costUSD.map(JSONValue.number) ?? .null),
            .init("metrics", metricsValue),
            .init("spark_ui_url", string(sparkUIURL)),
            .init("logs_url", string(logsURL)),
            .init("parent_execution_id", string(parentExecutionID)),
        ]
        return JSONObject(members)
    }
}
