import SparkLedgerCore
import Synchronization

/// Sizing recommendations from the store, cached per job_path: an answer is reused while the
/// job's version (`job_versions`, which every transaction that changes one of its executions
/// moves) and the hour of "as of" stay the same, and the current request is the same. The decay
/// weights move with time; within an hour they move by 1 % at most (half-life 7 days).
public final class JobRecommender: Sendable {
    public let store: SQLiteEventStore
    public let model: SizingModel
    private let cache = Mutex<[String: Entry]>([:])
    private let capacity: Int

    struct Entry {
        var version: Int64
        var hour: Int64
        var current: RequestedResources?
        var recommendation: SizingRecommendation
    }

    public init(store: SQLiteEventStore, policy: SizingPolicy = SizingPolicy(), capacity: Int = 10_000) {
        self.store = store
        self.model = SizingModel(policy: policy)
        self.capacity = capacity
    }

    /// The recommendation for `jobPath` as of `asOf`; nil when the store has no execution of it.
    public func recommend(jobPath: String, current: RequestedResources?, asOf: Int64) throws(StoreError) -> SizingRecommendation? {
        guard let version = try store.jobVersion(jobPath) else { return nil }
        let hour = asOf / 3_600_000
        if let entry = cache.withLock({ $0[jobPath] }), entry.version == version, entry.hour == hour, entry.current == current {
            var cached = entry.recommendation
            cached.asOf = asOf
            return cached
        }
        let policy = model.policy
        let runs = try store.sizingRuns(jobPath: jobPath, since: asOf - policy.lookbackDays * SizingPolicy.millisecondsPerDay, until: asOf)
        let recommendation = model.recommend(jobPath: jobPath, runs: runs, current: current, asOf: asOf)
        cache.withLock { cache in
            if cache.count >= capacity, cache[jobPath] == nil, let evicted = cache.keys.first { cache[evicted] = nil }
            cache[jobPath] = Entry(version: version, hour: hour, current: current, recommendation: recommendation)
        }
        return recommendation
    }
}
