/// SUBMIT: the runner's record of a new execution; the first one in fold order sets its identity.
///
/// A class of constants, so a value all the same: a copy is one reference. As a struct in the
/// enum's box, each copy retained and later released each of its dozen strings, and the fold
/// copied every SUBMIT so (callgrind: 24 such calls a SUBMIT in the writer, on strings the
/// validating thread made).
public final class SubmitPayload: Sendable, Equatable {
    public let jobPath: String
    public let team: String
    public let owner: String?
    /// Defaults to `sjns-<team>` when absent.
    public let namespace: String
    /// Defaults to SK8 when absent.
    public let vendor: Vendor
    public let vendorRunID: String?
    public let idempotencyKey: String?
    /// ≥ 1, default 1.
    public let attempt: Int64
    public let parentExecutionID: String?
    public let sparkVersion: String?
    public let resources: RequestedResources?
    /// The `resources` object exactly as sent (unknown members included), canonical JSON.
    public let resourcesJSON: String?
    public let sparkUIURL: String?
    public let logsURL: String?
    /// `labels` as a canonical JSON object, or nil when absent.
    public let labelsJSON: String?

    public static let fieldNames: [String] = [
        "job_path", "team", "owner", "namespace", "vendor", "vendor_run_id", "idempotency_key", "attempt",
        "parent_execution_id", "spark_version", "resources", "spark_ui_url", "logs_url", "labels",
    ]
    public static let requiredFieldNames: [String] = ["job_path", "team"]

    public init(_ reader: PayloadReader) throws(FieldError) {
        jobPath = try reader.requiredString("job_path")
        let team = try reader.requiredString("team")
        self.team = team
        owner = try reader.optionalString("owner")
        namespace = try reader.optionalString("namespace") ?? "sjns-\(team)"
        vendor = try reader.optionalEnum("vendor", Vendor.self) ?? .sk8
        vendorRunID = try reader.optionalString("vendor_run_id")
        idempotencyKey = try reader.optionalString("idempotency_key")
        attempt = try reader.optionalInteger("attempt", minimum: 1) ?? 1
        let parent = try reader.optionalString("parent_execution_id")
        if let parent, !Contract.isValidExecutionID(parent) {
            throw FieldError(
                field: "parent_execution_id", expected: "1–128 characters of [A-Za-z0-9._:-]",
                found: FieldError.render(.string(parent)))
        }
        parentExecutionID = parent
        sparkVersion = try reader.optionalString("spark_version")
        if let resourcesReader = try reader.optionalObject("resources") {
            resources = try RequestedResources(resourcesReader)
            resourcesJSON = resourcesReader.canonicalText
        } else {
            resources = nil
            resourcesJSON = nil
        }
        sparkUIURL = try reader.optionalString("spark_ui_url")
        logsURL = try reader.optionalString("logs_url")
        labelsJSON = try reader.optionalStringObject("labels")?.canonicalText
    }

    public static func == (a: SubmitPayload, b: SubmitPayload) -> Bool {
        a === b
            || (a.jobPath == b.jobPath && a.team == b.team && a.owner == b.owner && a.namespace == b.namespace && a.vendor == b.vendor
                && a.vendorRunID == b.vendorRunID && a.idempotencyKey == b.idempotencyKey && a.attempt == b.attempt
                && a.parentExecutionID == b.parentExecutionID && a.sparkVersion == b.sparkVersion && a.resources == b.resources
                && a.resourcesJSON == b.resourcesJSON && a.sparkUIURL == b.sparkUIURL && a.logsURL == b.logsURL
                && a.labelsJSON == b.labelsJSON)
    }
}

/// What a SUBMIT asked for (`resources`). Every part is optional; unknown members are kept in
/// `SubmitPayload.resourcesJSON`.
public struct RequestedResources: Sendable, Equatable {
    public struct Driver: Sendable, Equatable {
        public var cores: Int64?
        public var memoryMB: Int64?

        public init(cores: Int64? = nil, memoryMB: Int64? = nil) {
            self.cores = cores
            self.memoryMB = memoryMB
        }
    }

    public struct Executor: Sendable, Equatable {
        public var instances: Int64?
        public var cores: Int64?
        public var memoryMB: Int64?

        public init(instances: Int64? = nil, cores: Int64? = nil, memoryMB: Int64? = nil) {
            self.instances = instances
            self.cores = cores
            self.memoryMB = memoryMB
        }
    }

    public struct DynamicAllocation: Sendable, Equatable {
        public var enabled: Bool?
        public var minExecutors: Int64?
        public var maxExecutors: Int64?
        public var initialExecutors: Int64?

        public init(enabled: Bool? = nil, minExecutors: Int64? = nil, maxExecutors: Int64? = nil, initialExecutors: Int64? = nil) {
            self.enabled = enabled
            self.minExecutors = minExecutors
            self.maxExecutors = maxExecutors
            self.initialExecutors = initialExecutors
        }
    }

    public var driver: Driver?
    public var executor: Executor?
    public var dynamicAllocation: DynamicAllocation?

    public init(driver: Driver? = nil, executor: Executor? = nil, dynamicAllocation: DynamicAllocation? = nil) {
        self.driver = driver
        self.executor = executor
        self.dynamicAllocation = dynamicAllocation
    }

    public init(_ reader: PayloadReader) throws(FieldError) {
        if let driver = try reader.optionalObject("driver") {
            self.driver = Driver(
                cores: try driver.optionalInteger("cores", minimum: 1),
                memoryMB: try driver.optionalInteger("memory_mb", minimum: 1))
        }
        if let executor = try reader.optionalObject("executor") {
            self.executor = Executor(
                instances: try executor.optionalInteger("instances", minimum: 0),
                cores: try executor.optionalInteger("cores", minimum: 1),
                memoryMB: try executor.optionalInteger("memory_mb", minimum: 1))
        }
        if let dynamic = try reader.optionalObject("dynamic_allocation") {
            self.dynamicAllocation = DynamicAllocation(
                enabled: try dynamic.optionalBool("enabled"),
                minExecutors: try dynamic.optionalInteger("min_executors", minimum: 0),
                maxExecutors: try dynamic.optionalInteger("max_executors", minimum: 0),
                initialExecutors: try dynamic.optionalInteger("initial_executors", minimum: 0))
        }
    }
}
