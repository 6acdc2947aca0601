import Foundation
import SparkLedgerCore
@testable import SparkLedgerStorage
import Testing

/// The API's usage roll-up summed in SQL gives what summing the rows in Swift gives.
@Suite struct UsageGroupsTests {
    @Test func sqlRollUpsEqualSwiftRollUpsForEveryGrouping() throws {
        let fixture = try StoreFixture()
        let history = StoreFixture.history(executions: 500, seed: 12)
        _ = try fixture.appendAll(history.lines, batchSize: 2000)
        let rows = try fixture.store.dailyUsage()
        let days = rows.map(\.key.day).sorted()
        let filters = [UsageFilter(), UsageFilter(since: days[days.count / 2]), UsageFilter(team: rows[0].key.team)]
        let groupings: [Set<UsageDimension>] = [[], [.day], [.team], [.jobPath], [.day, .team], [.team, .jobPath], [.day, .team, .jobPath]]
        for filter in filters {
            for grouping in groupings {
                let sql = try fixture.store.usageGroups(filter, by: grouping)
                let swift = UsageGroup.group(try fixture.store.dailyUsage(filter), by: grouping)
                #expect(sql.count == swift.count, "\(grouping)")
                for (a, b) in zip(sql, swift) {
                    #expect(a.day == b.day && a.team == b.team && a.jobPath == b.jobPath)
                    #expect(a.usage.executions == b.usage.executions && a.usage.failed == b.usage.failed)
                    #expect(a.usage.shuffleReadBytes == b.usage.shuffleReadBytes && a.usage.durationMsSum == b.usage.durationMsSum)
                    #expect(abs(a.usage.costUSD - b.usage.costUSD) <= 1e-9 * max(1, b.usage.costUSD))
                }
            }
        }
        #expect(try fixture.store.usageGroups(UsageFilter(team: "nobody"), by: []).isEmpty)
    }
}
