import Foundation
import SparkLedgerCore

/// How to open a SparkLedger database.
public struct StoreConfiguration: Sendable {
    /// SQLite's durability setting for commits.
    public enum Durability: String, Sendable, CaseIterable {
        /// `synchronous=NORMAL` (WAL): a committed batch survives a crash of the process; a power
        /// cut may lose the last commits but never corrupts the file. The Kafka consumer replays
        /// from its stored offsets either way.
        case normal
        /// `synchronous=FULL`: every commit is on disk before it returns.
        case full
    }

    public var path: String
    public var readOnly: Bool
    public var prices: PriceConfiguration
    public var durability: Durability
    /// How long a write waits for another process's lock before failing.
    public var busyTimeoutSeconds: Double
    /// SQLite page cache per connection.
    public var cacheMiB: Int
    /// Executions the writer keeps in memory between batches.
    public var writerCacheCapacity: Int
    /// Wall clock, epoch milliseconds: when events were ingested and quarantined.
    public var clock: @Sendable () -> Int64

    public init(
        path: String, readOnly: Bool = false, prices: PriceConfiguration = .openCostDefaults,
        durability: Durability = .normal, busyTimeoutSeconds: Double = 5, cacheMiB: Int = 32,
        writerCacheCapacity: Int = 10_000, clock: @escaping @Sendable () -> Int64 = StoreConfiguration.systemClock
    ) {
        self.path = path
        self.readOnly = readOnly
        self.prices = prices
        self.durability = durability
        self.busyTimeoutSeconds = busyTimeoutSeconds
        self.cacheMiB = cacheMiB
        self.writerCacheCapacity = writerCacheCapacity
        self.clock = clock
    }

    /// The event-id hash of the event-id index (`event_id_blocks`); nil is `EventIDHash.hash`, which the thread
    /// that validates works out (`ValidatedInput.eventIDHash`). Tests set one to force collisions.
    var eventIDHash: (@Sendable (String) -> Int64)?
    /// How many event ids gather in `event_ids_recent` (24 bytes each in the writer's memory)
    /// before the writer moves them into `event_id_blocks` (`RecentEventIDs`). Tests lower it.
    var recentEventIDsLimit = 500_000
    /// A write session writes the events it gathered for the log (a row per execution) once they
    /// take this many bytes, and at the end of the transaction: without a bound, a 100,000-event
    /// transaction would hold ~26 MB of them. Tests lower it to split an execution's events of one
    /// transaction over several rows.
    var pendingLogLimitBytes = 8 << 20
    /// Caps the database size (`PRAGMA max_page_count`); tests use it to fill the "disk".
    var maximumPageCount: Int?
    /// When the WAL file passes this size after a commit, the writer truncates it (see
    /// `WALCheckpointer.truncate`); tests lower it. Each truncation stops the writer ~0.4 s
    /// (measured: copying what the checkpointer has not copied yet, syncing both files, and
    /// freeing the file's blocks, 0.2 s of it on a disk mounted with `discard`). At 1 GiB a
    /// million-event ingest (~690 MB of WAL) is never stopped; at 512 MiB it was, once.
    var walLimitBytes: Int64 = 1 << 30
    /// Up to this many executions, replay sums daily usage from the snapshots it writes (about
    /// 500 bytes an execution in memory, measured); above, from the rewritten table, which reads
    /// every execution again in `execution_id` order (a random walk over it). Tests lower it.
    var replayUsageInMemoryLimit = 250_000

    public static let systemClock: @Sendable () -> Int64 = {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }
}
