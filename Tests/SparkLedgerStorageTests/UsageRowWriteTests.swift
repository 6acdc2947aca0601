import GRDB
import SparkLedgerCore
@testable import SparkLedgerStorage
import Testing

/// `DailyUsageProjection.write`: a row the writer knows to be stored is rewritten with a plain
/// UPDATE; if it is not there after all, the write still lands (as the upsert would).
@Suite struct UsageRowWriteTests {
    static let key = DailyUsageKey(day: UTCDay(year: 2026, month: 11, day: 29), team: "ads", jobPath: "ads/daily",
                                   namespace: "sjns-ads", vendor: "SK8")

    static func members(_ costs: [String: Double]) -> UsageRowMembers {
        let members = UsageRowMembers()
        for (id, cost) in costs {
            members.contributions[id] = UsageContribution(key: key, state: .succeeded, costUSD: cost, tasks: 10, durationMs: 60_000)
        }
        return members
    }

    static func withProjection<T>(_ body: (Database, DailyUsageProjection) throws -> T) throws -> T {
        let queue = try DatabaseQueue()
        try StoreSchema.migrator().migrate(queue)
        return try queue.write { db in try body(db, try DailyUsageProjection(db: db)) }
    }

    static func rows(_ db: Database) throws -> [Row] {
        try Row.fetchAll(db, sql: "SELECT * FROM daily_usage")
    }

    @Test func aRowBelievedStoredButMissingIsInserted() throws {
        try Self.withProjection { db, usage in
            try usage.write(Self.key, members: Self.members(["x1": 1.5, "x2": 2.25]), stored: true)
            let rows = try Self.rows(db)
            #expect(rows.count == 1)
            #expect(rows.first?["day"] == "2026-11-29")
            #expect(rows.first?["executions"] == 2)
            #expect(rows.first?["cost_usd"] == 3.75)
            #expect(rows.first?["tasks"] == 20)
        }
    }

    @Test func aStoredRowIsRewrittenInPlace() throws {
        try Self.withProjection { db, usage in
            try usage.write(Self.key, members: Self.members(["x1": 1.5]))
            try usage.write(Self.key, members: Self.members(["x1": 1.5, "x2": 2.25, "x3": 0.25]), stored: true)
            let rows = try Self.rows(db)
            #expect(rows.count == 1)
            #expect(rows.first?["executions"] == 3)
            #expect(rows.first?["succeeded"] == 3)
            #expect(rows.first?["cost_usd"] == 4.0)
            #expect(rows.first?["tasks"] == 30)
            // Three one-minute successes in the histogram's 60 s bucket, as the upsert writes it.
            let upserted = try Self.withProjection { other, fresh in
                try fresh.write(Self.key, members: Self.members(["x1": 1.5, "x2": 2.25, "x3": 0.25]))
                return try Self.rows(other)
            }
            #expect(rows == upserted)
        }
    }

    @Test func aRowWithoutMembersIsDeletedEvenWhenStored() throws {
        try Self.withProjection { db, usage in
            try usage.write(Self.key, members: Self.members(["x1": 1.5]))
            try usage.write(Self.key, members: UsageRowMembers(), stored: true)
            #expect(try Self.rows(db).isEmpty)
        }
    }
}
