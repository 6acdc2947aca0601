/// A recurring Spark job of the synthetic platform: who owns it, what it asks for, and how it
/// really behaves. Requests are over-provisioned the way real jobs are (1.5–4× the memory they
/// peak at); a few jobs run close to their limit and now and then run out of memory; some jobs'
/// inputs grow from day to day.
public struct JobProfile: Sendable {
    public var jobPath: String
    public var team: String
    public var owner: String
    public var namespace: String
    public var vendor: String
    public var sparkVersion: String
    /// Runs every `periodHours`, at `offsetMinutes` past the start of the period.
    public var periodHours: Int64
    public var offsetMinutes: Int64

    public var driverCores: Int64
    public var driverMemoryMB: Int64
    public var executorCores: Int64
    public var executorMemoryMB: Int64
    public var minExecutors: Int64
    public var initialExecutors: Int64
    public var maxExecutors: Int64

    /// Requested executor memory ÷ what the job peaks at.
    public var memoryOverprovision: Double
    /// Share of `maxExecutors` the job keeps busy at its peak.
    public var executorDemand: Double
    public var cpuUtilization: Double
    public var baseDurationSeconds: Double
    public var baseInputBytes: Double
    /// Daily growth of the input (0 for most jobs).
    public var inputGrowthPerDay: Double
    public var shuffleRatio: Double
    public var spillProne: Bool
    public var spotFraction: Double
    public var userFailureRate: Double
    public var tier: String
}

/// Builds the synthetic platform's teams and jobs.
enum JobCatalog {
    static let teams = [
        "ads", "search", "payments", "risk", "growth", "ml-platform", "logistics", "fraud", "pricing", "catalog",
        "identity", "finance",
    ]
    static let pipelines = ["etl", "features", "reports", "ingest", "training", "aggregation", "export", "quality", "sessions"]
    static let subjects = [
        "clicks", "orders", "users", "payments", "impressions", "sessions", "inventory", "refunds", "searches", "events",
        "ledger", "merchants", "devices", "campaigns", "shipments", "prices",
    ]
    static let actions = ["daily_rollup", "hourly_join", "dedupe", "snapshot", "enrich", "compact", "score", "backfill", "export", "sessionize"]
    static let people = ["ana", "bo", "chen", "dara", "eli", "fatima", "gus", "hana", "ivan", "jo", "kai", "lena", "mo", "nia", "omar", "pia"]

    static func jobs(count: Int, random: inout RandomSource) -> [JobProfile] {
        var jobs: [JobProfile] = []
        var used: Set<String> = []
        for index in 0..<count {
            let team = teams[index % teams.count]
            var path = "\(team)/\(random.pick(pipelines))/\(random.pick(subjects))_\(random.pick(actions))"
            if used.contains(path) { path += "_\(index)" }
            used.insert(path)

            let vendor = random.pick([("SK8", 0.82), ("EMR", 0.12), ("DBR", 0.06)])
            let executorMemoryMB = random.pick([(2048, 1.0), (4096, 3.0), (8192, 3.0), (12288, 1.0), (16384, 1.5)]) as Int64
            let oomProne = random.chance(0.06)
            let maxExecutors = random.pick([(4, 1.0), (8, 2.0), (16, 3.0), (32, 2.0), (64, 1.0), (128, 0.4)]) as Int64
            let baseDuration = random.logNormal(median: 900, sigma: 0.9).clamped(to: 90...5 * 3600)
            jobs.append(JobProfile(
                jobPath: path, team: team, owner: random.pick(people) + "@\(team)",
                namespace: random.chance(0.9) ? "sjns-\(team)-prod" : "sjns-\(team)-staging",
                vendor: vendor, sparkVersion: random.pick([("3.5.1", 3.0), ("3.5.3", 2.0), ("4.0.0", 1.0)]),
                periodHours: random.pick([(1, 2.0), (2, 1.0), (4, 1.5), (6, 1.5), (12, 1.0), (24, 3.0)]),
                offsetMinutes: random.integer(0...59),
                driverCores: random.pick([(1, 2.0), (2, 3.0), (4, 1.0)]),
                driverMemoryMB: random.pick([(2048, 2.0), (4096, 3.0), (8192, 1.0)]),
                executorCores: random.pick([(2, 2.0), (4, 3.0), (8, 1.0)]),
                executorMemoryMB: executorMemoryMB,
                minExecutors: random.pick([(1, 3.0), (2, 2.0)]),
                initialExecutors: max(1, maxExecutors / 4),
                maxExecutors: maxExecutors,
                memoryOverprovision: oomProne ? random.uniform(1.0...1.12) : random.uniform(1.5...4.0),
                executorDemand: random.uniform(0.25...1.0),
                cpuUtilization: random.uniform(0.3...0.85),
                baseDurationSeconds: baseDuration,
                baseInputBytes: random.logNormal(median: 40e9, sigma: 1.4).clamped(to: 5e8...4e12),
                inputGrowthPerDay: random.chance(0.15) ? random.uniform(0.005...0.03) : 0,
                shuffleRatio: random.uniform(0.05...1.2),
                spillProne: random.chance(0.2),
                spotFraction: random.pick([(0.0, 3.0), (0.5, 2.0), (0.8, 2.0), (1.0, 1.0)]),
                userFailureRate: random.pick([(0.01, 5.0), (0.04, 2.0), (0.15, 0.5)]),
                tier: random.pick(["gold", "silver", "bronze"])))
        }
        return jobs
    }
}

extension Double {
    func clamped(to range: ClosedRange<Double>) -> Double {
        Swift.min(Swift.max(self, range.lowerBound), range.upperBound)
    }
}
