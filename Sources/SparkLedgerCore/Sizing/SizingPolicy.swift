#if canImport(Glibc)
import Glibc  // exp2: a pure function of the C math library
#elseif canImport(Darwin)
import Darwin
#endif

/// How recommendations are made: the VPA recommender's knobs (decay, percentiles, margin, OOM
/// bump, confidence) plus the platform's floors and caps.
public struct SizingPolicy: Sendable, Equatable {
    /// A sample loses half its weight every `halfLifeDays` (VPA's decaying histogram).
    public var halfLifeDays: Double = 7
    /// Only runs submitted this long before "as of" count.
    public var lookbackDays: Int64 = 60
    public var lowerPercentile: Double = 0.50
    public var targetPercentile: Double = 0.90
    public var upperPercentile: Double = 0.95
    /// Added on top of the percentile (VPA: 15 %).
    public var safetyMargin: Double = 0.15
    /// After an out-of-memory failure, at least this much more memory than that run had (VPA: 20 %).
    public var outOfMemoryBump: Double = 0.20
    /// Memory is recommended in whole steps.
    public var memoryStepMB: Int64 = 512
    /// The executor pod's CPU request is recommended in whole steps of millicores (and is at
    /// least one step).
    public var cpuRequestStepMillicores: Int64 = 100
    /// Effective (decay-weighted) run count at which confidence reaches 1.
    public var fullConfidenceRuns: Double = 10
    /// Input growth is extrapolated only from this many runs with input sizes.
    public var minimumRunsForGrowth: Int = 6

    public var floors = Limits(executorMemoryMB: 1024, executorCores: 1, executors: 1, driverMemoryMB: 1024, driverCores: 1)
    public var caps = Limits(executorMemoryMB: 65536, executorCores: 16, executors: 1000, driverMemoryMB: 32768, driverCores: 8)
    public var prices: PriceConfiguration = .openCostDefaults

    public struct Limits: Sendable, Equatable {
        public var executorMemoryMB: Int64
        public var executorCores: Int64
        public var executors: Int64
        public var driverMemoryMB: Int64
        public var driverCores: Int64

        public init(executorMemoryMB: Int64, executorCores: Int64, executors: Int64, driverMemoryMB: Int64, driverCores: Int64) {
            self.executorMemoryMB = executorMemoryMB
            self.executorCores = executorCores
            self.executors = executors
            self.driverMemoryMB = driverMemoryMB
            self.driverCores = driverCores
        }
    }

    public init() {}

    public static let millisecondsPerDay: Int64 = 86_400_000

    /// The weight of a sample `age` milliseconds old: 2^(−age / half-life).
    public func weight(ageMilliseconds age: Int64) -> Double {
        let days = Double(max(0, age)) / Double(Self.millisecondsPerDay)
        return exp2(-days / halfLifeDays)
    }

    /// Millicores rounded up to a whole step.
    public func roundUpMillicores(_ millicores: Double) -> Int64 {
        let steps = (millicores / Double(cpuRequestStepMillicores)).rounded(.up)
        return Int64(max(1, steps)) * cpuRequestStepMillicores
    }

    /// Memory rounded up to a whole step.
    public func roundUpMemory(_ megabytes: Double) -> Int64 {
        let steps = (megabytes / Double(memoryStepMB)).rounded(.up)
        return Int64(max(1, steps)) * memoryStepMB
    }
}
