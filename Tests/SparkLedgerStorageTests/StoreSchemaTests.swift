import Foundation
import GRDB
@testable import SparkLedgerStorage
import Testing

/// schemas/store.sql is the schema the code creates; a change to one without the other fails here.
@Suite struct StoreSchemaTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private func objects(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: """
            SELECT type || ' ' || name || ': ' || sql FROM sqlite_master
            WHERE sql IS NOT NULL AND name NOT LIKE 'grdb_%' AND name NOT LIKE 'sqlite_%' ORDER BY type, name
            """).map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
    }

    @Test func storeSQLMatchesTheMigrations() throws {
        let fixture = try StoreFixture()
        let fromCode = try fixture.store.read { db in try objects(db) }
        let ddl = try String(contentsOf: Self.repositoryRoot.appendingPathComponent("schemas/store.sql"), encoding: .utf8)
        let fromFile = try DatabaseQueue().write { db in
            try db.execute(sql: ddl)
            return try objects(db)
        }
        #expect(fromCode.count > 10)
        #expect(fromFile == fromCode)
    }

    @Test func reopeningMigratesNothingAndANewerSchemaIsRefused() throws {
        let fixture = try StoreFixture()
        try fixture.append([Envelope.submit("s1")])
        _ = try SQLiteEventStore(StoreConfiguration(path: fixture.path))
        try fixture.withDatabase { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99: from the future')") }
        #expect { try SQLiteEventStore(StoreConfiguration(path: fixture.path)) } throws: { ($0 as? StoreError)?.kind == .newerSchema }
    }

    @Test func version2FillsTheDurationSumsOfAVersion1Store() throws {
        let fixture = try StoreFixture()
        let history = StoreFixture.history(executions: 300, seed: 3, invalidRate: 0, lateRate: 0.05)
        _ = try fixture.appendAll(history.lines, batchSize: 1000)
        let expected = try fixture.store.dailyUsage()
        #expect(expected.contains { $0.succeededDurations.sumMilliseconds > 0 })
        // Back to what version 1 created: no end_time index, no sum columns, v2 not applied.
        try fixture.withDatabase { db in
            try db.execute(sql: """
                DROP INDEX executions_by_end_time;
                ALTER TABLE daily_usage DROP COLUMN succeeded_duration_ms_sum;
                ALTER TABLE daily_usage DROP COLUMN failed_duration_ms_sum;
                ALTER TABLE daily_usage DROP COLUMN cancelled_duration_ms_sum;
                DELETE FROM grdb_migrations WHERE identifier LIKE 'v2:%';
                """)
        }
        let migrated = try SQLiteEventStore(StoreConfiguration(path: fixture.path))
        #expect(try migrated.dailyUsage() == expected)
        #expect(try migrated.replay().identical)
    }
}
