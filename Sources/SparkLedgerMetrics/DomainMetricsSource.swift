import SparkLedgerCore
import SparkLedgerStorage
import Synchronization

/// The domain metrics of the stored history, recomputed only when the log has moved
/// (kube-state-metrics style: computed when state changes, served precomputed).
public final class DomainMetricsSource: Sendable {
    public let store: SQLiteEventStore
    public let jobPathAllowList: Set<String>
    private let cache = Mutex<(position: Int64, families: [MetricFamily], startTime: Int64?)?>(nil)

    public init(store: SQLiteEventStore, jobPathAllowList: Set<String> = []) {
        self.store = store
        self.jobPathAllowList = jobPathAllowList
    }

    /// The families now, and the start of the history they count from (epoch ms of the first
    /// usage day; nil when empty): cumulative series start there, whatever the process's age.
    public func families() throws(StoreError) -> (families: [MetricFamily], startTime: Int64?) {
        let position = try store.logPosition()
        if let cached = cache.withLock({ $0 }), cached.position == position { return (cached.families, cached.startTime) }
        let rows = try store.dailyUsage()
        let families = DomainMetrics.families(rows, jobPathAllowList: jobPathAllowList)
        let startTime = rows.map(\.key.day).min()?.startMilliseconds
        cache.withLock { $0 = (position, families, startTime) }
        return (families, startTime)
    }
}
