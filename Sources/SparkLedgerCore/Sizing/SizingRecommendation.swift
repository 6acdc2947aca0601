/// What a job should request next time, field by field, with the evidence.
public struct SizingRecommendation: Sendable, Equatable {
    /// One recommended quantity: a range, the value to use, what the job asks for now, and why.
    public struct Value: Sendable, Equatable {
        public var lower: Int64
        public var target: Int64
        public var upper: Int64
        public var current: Int64?
        public var reason: String

        public init(lower: Int64, target: Int64, upper: Int64, current: Int64?, reason: String) {
            self.lower = min(lower, target)
            self.target = target
            self.upper = max(upper, target)
            self.current = current
            self.reason = reason
        }

        /// No evidence: the current value (or the floor) everywhere.
        static func unchanged(_ current: Int64?, floor: Int64, reason: String) -> Value {
            let value = current ?? floor
            return Value(lower: value, target: value, upper: value, current: current, reason: reason)
        }

        var json: JSONObject {
            JSONObject([
                .init("lower", .int(lower)), .init("target", .int(target)), .init("upper", .int(upper)),
                .init("current", current.map(JSONValue.int) ?? .null), .init("reason", .string(reason)),
            ])
        }
    }

    public struct Evidence: Sendable, Equatable {
        /// Runs submitted in the window (before "as of").
        public var runs: Int
        public var successfulRuns: Int
        public var outOfMemoryRuns: Int
        /// Sum of the successful runs' decay weights.
        public var effectiveRuns: Double
        public var windowStart: Int64
        public var windowEnd: Int64
        public var percentile: Double
        public var halfLifeDays: Double
        /// Projected input ÷ typical input of the window; 1 without growth.
        public var inputGrowth: Double
    }

    public var jobPath: String
    public var asOf: Int64
    public var executorMemoryMB: Value
    public var executorCores: Value
    /// The executor pod's CPU request (`spark.kubernetes.executor.request.cores`); `current` is the
    /// requested cores × 1000, the request Spark makes without the setting.
    public var executorCPURequestMillicores: Value
    public var minExecutors: Value
    public var initialExecutors: Value
    public var maxExecutors: Value
    public var driverMemoryMB: Value
    public var driverCores: Value
    /// 0 (no usable history) to 1.
    public var confidence: Double
    public var evidence: Evidence
    /// Expected cost of one run, USD, under the current request and under the recommendation.
    public var expectedCostCurrentUSD: Double?
    public var expectedCostRecommendedUSD: Double?
    /// Why there is no recommendation beyond the current request, when there is none.
    public var note: String?

    /// The recommendation as the resources object a SUBMIT carries.
    public var resources: RequestedResources {
        RequestedResources(
            driver: .init(cores: driverCores.target, memoryMB: driverMemoryMB.target),
            executor: .init(instances: initialExecutors.target, cores: executorCores.target, memoryMB: executorMemoryMB.target),
            dynamicAllocation: .init(enabled: true, minExecutors: minExecutors.target, maxExecutors: maxExecutors.target,
                                     initialExecutors: initialExecutors.target))
    }

    /// The recommendation as the Spark properties a submit sets.
    public var sparkConf: [(key: String, value: String)] {
        [
            ("spark.executor.memory", "\(executorMemoryMB.target)m"), ("spark.executor.cores", String(executorCores.target)),
            ("spark.kubernetes.executor.request.cores", "\(executorCPURequestMillicores.target)m"),
            ("spark.dynamicAllocation.enabled", "true"),
            ("spark.dynamicAllocation.minExecutors", String(minExecutors.target)),
            ("spark.dynamicAllocation.initialExecutors", String(initialExecutors.target)),
            ("spark.dynamicAllocation.maxExecutors", String(maxExecutors.target)),
            ("spark.driver.memory", "\(driverMemoryMB.target)m"), ("spark.driver.cores", String(driverCores.target)),
        ]
    }

    public var json: JSONObject {
        JSONObject([
            .init("job_path", .string(jobPath)), .init("as_of", .int(asOf)),
            .init("confidence", .number(confidence)),
            .init("executor", .object(JSONObject([
                .init("memory_mb", .object(executorMemoryMB.json)), .init("cores", .object(executorCores.json)),
                .init("cpu_request_millicores", .object(executorCPURequestMillicores.json)),
            ]))),
            .init("dynamic_allocation", .object(JSONObject([
                .init("min_executors", .object(minExecutors.json)), .init("initial_executors", .object(initialExecutors.json)),
                .init("max_executors", .object(maxExecutors.json)),
            ]))),
            .init("driver", .object(JSONObject([
                .init("memory_mb", .object(driverMemoryMB.json)), .init("cores", .object(driverCores.json)),
            ]))),
            .init("evidence", .object(JSONObject([
                .init("runs", .int(Int64(evidence.runs))), .init("successful_runs", .int(Int64(evidence.successfulRuns))),
                .init("out_of_memory_runs", .int(Int64(evidence.outOfMemoryRuns))),
                .init("effective_runs", .number(evidence.effectiveRuns)),
                .init("window_start", .int(evidence.windowStart)), .init("window_end", .int(evidence.windowEnd)),
                .init("percentile", .number(evidence.percentile)), .init("half_life_days", .number(evidence.halfLifeDays)),
                .init("input_growth", .number(evidence.inputGrowth)),
            ]))),
            .init("expected_cost_per_run_usd", .object(JSONObject([
                .init("current", expectedCostCurrentUSD.map(JSONValue.number) ?? .null),
                .init("recommended", expectedCostRecommendedUSD.map(JSONValue.number) ?? .null),
            ]))),
            .init("spark_conf", .object(JSONObject(sparkConf.map { JSONObject.Member($0.key, .string($0.value)) }))),
            .init("note", note.map(JSONValue.string) ?? .null),
        ])
    }
}
