import SparkLedgerCore

/// The executions that make up one `daily_usage` row and what each adds, by execution_id, as
/// the row was last recomputed.
///
/// A class: a write session changes the members the cache holds in place. As a value, the
/// session's first change copied the whole dictionary (the cache still held it), a retain and a
/// release of six strings per member. A failed transaction empties the cache
/// (`WriterState.forgetEverything`), so no half-applied change outlives it
/// (`BatchTransactionTests.aFailedTransactionsUsageChangesAreForgotten`).
///
/// `@unchecked Sendable`: reached only through `WriterState`, which lives in the store's writer
/// mutex, and through write sessions, which run while it is held.
final class UsageRowMembers: @unchecked Sendable {
    var contributions: [String: UsageContribution] = [:]

    init() {}
}

/// Usage rows' members as this writer last recomputed them, so that the next recompute of a row
/// applies the session's changes to it instead of reading every member back from `executions`
/// (those reads were ~14 % of the writer's instructions with 50,000-record transactions). Valid
/// under the same rule as the rest of `WriterState`: this connection is the only writer.
///
/// Bounded like the execution cache: two generations, the older dropped whole when the newer
/// holds half of `capacity` members.
struct UsageRowCache {
    /// About this many members are kept, in the rows recomputed most recently.
    let capacity: Int
    private var recent: [DailyUsageKey: UsageRowMembers] = [:]
    private var older: [DailyUsageKey: UsageRowMembers] = [:]
    private var recentMembers = 0

    init(capacity: Int) {
        self.capacity = capacity
    }

    func members(of key: DailyUsageKey) -> UsageRowMembers? {
        recent[key] ?? older[key]
    }

    /// Takes in the rows a committed transaction recomputed.
    mutating func remember(_ rows: consuming [DailyUsageKey: UsageRowMembers]) {
        let generation = max(1, capacity / 2)
        for (key, row) in rows {
            if recentMembers + row.contributions.count > generation && !recent.isEmpty {
                older = recent
                recent = [:]
                recentMembers = 0
            }
            older[key] = nil
            recent[key] = row
            recentMembers += row.contributions.count
        }
    }

    mutating func removeAll() {
        recent = [:]
        older = [:]
        recentMembers = 0
    }
}
