import SparkLedgerCore

/// The contract's payload members (§3) as fields of the generated payload messages.
enum PayloadFields {
    typealias Submit = Sparkledger_V1_SubmitPayload
    typealias Resources = Sparkledger_V1_Resources
    typealias Running = Sparkledger_V1_RunningPayload
    typealias State = Sparkledger_V1_StatePayload
    typealias Metrics = Sparkledger_V1_MetricsSummaryPayload
    typealias Cancel = Sparkledger_V1_CancelPayload
    typealias Terminal = Sparkledger_V1_TerminalPayload

    static let driver: [ProtobufField<Resources.Driver>] = [
        .int64("cores", \.cores, present: \.hasCores),
        .int64("memory_mb", \.memoryMb, present: \.hasMemoryMb),
    ]

    static let executor: [ProtobufField<Resources.Executor>] = [
        .int64("instances", \.instances, present: \.hasInstances),
        .int64("cores", \.cores, present: \.hasCores),
        .int64("memory_mb", \.memoryMb, present: \.hasMemoryMb),
    ]

    static let dynamicAllocation: [ProtobufField<Resources.DynamicAllocation>] = [
        .bool("enabled", \.enabled, present: \.hasEnabled),
        .int64("min_executors", \.minExecutors, present: \.hasMinExecutors),
        .int64("max_executors", \.maxExecutors, present: \.hasMaxExecutors),
        .int64("initial_executors", \.initialExecutors, present: \.hasInitialExecutors),
    ]

    static let resources: [ProtobufField<Resources>] = [
        .message("driver", \.driver, present: \.hasDriver, fields: driver),
        .message("executor", \.executor, present: \.hasExecutor, fields: executor),
        .message("dynamic_allocation", \.dynamicAllocation, present: \.hasDynamicAllocation, fields: dynamicAllocation),
    ]

    static let submit: [ProtobufField<Submit>] = [
        .string("job_path", \.jobPath, present: \.hasJobPath),
        .string("team", \.team, present: \.hasTeam),
        .string("owner", \.owner, present: \.hasOwner),
        .string("namespace", \.namespace, present: \.hasNamespace),
        .enumeration("vendor", \.vendor, names: [(.sk8, "SK8"), (.emr, "EMR"), (.dbr, "DBR")]),
        .string("vendor_run_id", \.vendorRunID, present: \.hasVendorRunID),
        .string("idempotency_key", \.idempotencyKey, present: \.hasIdempotencyKey),
        .int64("attempt", \.attempt, present: \.hasAttempt),
        .string("parent_execution_id", \.parentExecutionID, present: \.hasParentExecutionID),
        .string("spark_version", \.sparkVersion, present: \.hasSparkVersion),
        .message("resources", \.resources, present: \.hasResources, fields: resources),
        .string("spark_ui_url", \.sparkUiURL, present: \.hasSparkUiURL),
        .string("logs_url", \.logsURL, present: \.hasLogsURL),
        .stringMap("labels", \.labels),
    ]

    static let running: [ProtobufField<Running>] = [
        .string("vendor_run_id", \.vendorRunID, present: \.hasVendorRunID),
        .string("spark_ui_url", \.sparkUiURL, present: \.hasSparkUiURL),
        .string("logs_url", \.logsURL, present: \.hasLogsURL),
    ]

    static let state: [ProtobufField<State>] = [
        .string("operator_state", \.operatorState, present: \.hasOperatorState),
        .string("message", \.message, present: \.hasMessage),
        .int64("attempt", \.attempt, present: \.hasAttempt),
    ]

    static let metricsSummary: [ProtobufField<Metrics>] = [
        .int64("executors_peak", \.executorsPeak, present: \.hasExecutorsPeak),
        .int64("executors_added", \.executorsAdded, present: \.hasExecutorsAdded),
        .int64("executors_removed", \.executorsRemoved, present: \.hasExecutorsRemoved),
        .double("executor_core_seconds", \.executorCoreSeconds, present: \.hasExecutorCoreSeconds),
        .double("executor_memory_mb_seconds", \.executorMemoryMbSeconds, present: \.hasExecutorMemoryMbSeconds),
        .double("driver_core_seconds", \.driverCoreSeconds, present: \.hasDriverCoreSeconds),
        .double("driver_memory_mb_seconds", \.driverMemoryMbSeconds, present: \.hasDriverMemoryMbSeconds),
        .double("spot_fraction", \.spotFraction, present: \.hasSpotFraction),
        .int64("tasks", \.tasks, present: \.hasTasks),
        .int64("failed_tasks", \.failedTasks, present: \.hasFailedTasks),
        .int64("stages", \.stages, present: \.hasStages),
        .int64("failed_stages", \.failedStages, present: \.hasFailedStages),
        .int64("shuffle_read_bytes", \.shuffleReadBytes, present: \.hasShuffleReadBytes),
        .int64("shuffle_write_bytes", \.shuffleWriteBytes, present: \.hasShuffleWriteBytes),
        .int64("shuffle_read_records", \.shuffleReadRecords, present: \.hasShuffleReadRecords),
        .int64("shuffle_write_records", \.shuffleWriteRecords, present: \.hasShuffleWriteRecords),
        .int64("shuffle_fetch_failures", \.shuffleFetchFailures, present: \.hasShuffleFetchFailures),
        .int64("shuffle_fetch_wait_ms", \.shuffleFetchWaitMs, present: \.hasShuffleFetchWaitMs),
        .int64("memory_spill_bytes", \.memorySpillBytes, present: \.hasMemorySpillBytes),
        .int64("disk_spill_bytes", \.diskSpillBytes, present: \.hasDiskSpillBytes),
        .int64("input_bytes", \.inputBytes, present: \.hasInputBytes),
        .int64("output_bytes", \.outputBytes, present: \.hasOutputBytes),
        .int64("executor_run_time_ms", \.executorRunTimeMs, present: \.hasExecutorRunTimeMs),
        .int64("executor_cpu_time_ms", \.executorCpuTimeMs, present: \.hasExecutorCpuTimeMs),
        .double("peak_executor_memory_mb", \.peakExecutorMemoryMb, present: \.hasPeakExecutorMemoryMb),
        .double("peak_driver_memory_mb", \.peakDriverMemoryMb, present: \.hasPeakDriverMemoryMb),
    ]

    static let cancel: [ProtobufField<Cancel>] = [
        .string("requested_by", \.requestedBy, present: \.hasRequestedBy),
        .string("reason", \.reason, present: \.hasReason),
    ]

    static let terminal: [ProtobufField<Terminal>] = [
        .enumeration("final_state", \.finalState, names: [(.succeeded, "SUCCEEDED"), (.failed, "FAILED"), (.cancelled, "CANCELLED")]),
        .enumeration("error_class", \.errorClass, names: [(.user, "USER"), (.system, "SYSTEM"), (.unknown, "UNKNOWN")]),
        .string("message", \.message, present: \.hasMessage),
        .int64("exit_code", \.exitCode, present: \.hasExitCode),
    ]
}
