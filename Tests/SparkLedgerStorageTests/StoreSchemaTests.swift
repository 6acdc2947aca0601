import Foundation
import GRDB
import SparkLedgerCore
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

    /// Every connection, the writer's and the readers', is set up alike: 16 KB pages, and no
    /// zeroing of freed content (Debian builds SQLite with `secure_delete` on).
    @Test func connectionsHaveTheStoresSettings() throws {
        let fixture = try StoreFixture()
        try fixture.append([Envelope.submit("s1")])
        let writer = try fixture.store.pool.write { db in
            [try Int.fetchOne(db, sql: "PRAGMA secure_delete"), try Int.fetchOne(db, sql: "PRAGMA page_size")]
        }
        let reader = try fixture.store.pool.read { db in
            [try Int.fetchOne(db, sql: "PRAGMA secure_delete"), try Int.fetchOne(db, sql: "PRAGMA page_size")]
        }
        #expect(writer == [0, SQLiteEventStore.pageSize])
        #expect(reader == [0, SQLiteEventStore.pageSize])
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

    /// Version 6 moves a row-per-event log (versions 1–5) into event_groups: the same events, in
    /// the same order, the same projections, and ingest goes on from there.
    @Test func version6MovesTheLogIntoGroups() throws {
        let fixture = try StoreFixture()
        let history = StoreFixture.history(executions: 300, seed: 4, lateRate: 0.05)
        let half = history.lines.count / 2
        _ = try fixture.appendAll(Array(history.lines[..<half]), batchSize: 700)
        let events = try Self.allEvents(fixture.store)
        let state = try fixture.visibleState()
        // Back to the log of version 5: a row per event in the table `events`.
        try fixture.withDatabase { db in
            try db.execute(sql: "CREATE TABLE events_v5 AS SELECT * FROM events")
            try db.execute(sql: "DROP VIEW events")
            for statement in StoreSchema.version1.prefix(3) {
                try db.execute(sql: statement)  // the events table and its two triggers
            }
            try db.execute(sql: """
                INSERT INTO events SELECT * FROM events_v5;
                DROP TABLE events_v5;
                DROP TRIGGER event_groups_append_only;
                DROP TRIGGER event_groups_no_delete;
                DROP TABLE event_groups;
                DELETE FROM grdb_migrations WHERE identifier LIKE 'v6:%';
                """)
            #expect(try String.fetchOne(db, sql: "SELECT type FROM sqlite_master WHERE name = 'events'") == "table")
        }
        let migrated = try StoreFixture.reopen(fixture)
        #expect(try Self.allEvents(migrated) == events)
        #expect(try migrated.replay().identical)
        let after = try migrated.read { db in try String.fetchAll(db, sql: "SELECT type || ' ' || name FROM sqlite_master WHERE name LIKE 'event%' ORDER BY name") }
        #expect(after.contains("view events") && after.contains("table event_groups"))
        // Ingest goes on, and ends where a store that was never migrated ends.
        let rest = Array(history.lines[half...])
        for start in stride(from: 0, to: rest.count, by: 700) {
            try migrated.append(IngestBatch(items: StoreFixture.items(Array(rest[start..<min(rest.count, start + 700)]))))
        }
        let never = try StoreFixture()
        _ = try never.appendAll(history.lines, batchSize: 700)
        #expect(try Self.allEvents(migrated) == (try Self.allEvents(never.store)))
        #expect(try never.visibleState().executions == (try visible(migrated)))
        let migratedCount = try visible(migrated).count
        #expect(state.executions.count > 100 && state.executions.count < migratedCount)
    }

    /// Version 7 packs a row-per-event index (versions 1–6, event_ids) into event_id_blocks: the
    /// same entries, every old id still found as a duplicate, and ingest goes on from there as in
    /// a store that was never migrated.
    @Test func version7PacksTheEventIDIndexIntoBlocks() throws {
        let limit: (inout StoreConfiguration) -> Void = { $0.recentEventIDsLimit = 700 }
        let fixture = try StoreFixture(configure: limit)
        let never = try StoreFixture(configure: limit)
        let history = StoreFixture.history(executions: 400, seed: 5, lateRate: 0.05)
        let half = history.lines.count / 2
        _ = try fixture.appendAll(Array(history.lines[..<half]), batchSize: 300)
        _ = try never.appendAll(Array(history.lines[..<half]), batchSize: 300)
        func entries(_ db: Database) throws -> [String] {
            try Row.fetchAll(db, sql: "SELECT entries FROM event_id_blocks").flatMap { row in
                PackedEventIDs.unpack([UInt8](row[0] as Data)).map { "\($0.hash) \($0.key) \($0.seq)" }
            }.sorted()
        }
        let indexed = try fixture.store.read { try entries($0) }
        #expect(indexed.count > 2 * EventIDBlocks.blockCapacity)
        // Back to version 6: the same entries a row each in event_ids, in no particular order.
        try fixture.withDatabase { db in
            for statement in StoreSchema.version1 where statement.contains("CREATE TABLE event_ids (") || statement.contains("TRIGGER event_ids_") {
                try db.execute(sql: statement)
            }
            for entry in indexed.shuffled() {
                try db.execute(sql: "INSERT INTO event_ids (event_hash, execution_key, seq) VALUES (?, ?, ?)", arguments: StatementArguments(entry.split(separator: " ").map { Int64($0)! }))
            }
            try db.execute(sql: "DROP TABLE event_id_blocks; DROP TABLE event_id_block_moves; DELETE FROM grdb_migrations WHERE identifier LIKE 'v7:%'")
        }
        let migrated = try StoreFixture.reopen(fixture, configure: limit)
        #expect(try migrated.read { try entries($0) } == indexed)
        #expect(try migrated.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE name LIKE 'event_ids%' ORDER BY name") } == ["event_ids_recent", "event_ids_recent_append_only"])
        // The whole history again: its first half is duplicates in both stores.
        for start in stride(from: 0, to: history.lines.count, by: 300) {
            let lines = Array(history.lines[start..<min(history.lines.count, start + 300)])
            let outcome = try migrated.append(IngestBatch(items: StoreFixture.items(lines)))
            #expect(outcome == (try never.store.append(IngestBatch(items: StoreFixture.items(lines)))))
        }
        #expect(try Self.allEvents(migrated) == (try Self.allEvents(never.store)))
        #expect(try never.visibleState().executions == (try visible(migrated)))
        #expect(try migrated.replay().identical)
    }

    private static func allEvents(_ store: SQLiteEventStore) throws -> [String] {
        var events: [String] = []
        try store.forEachEvent { seq, event in
            events.append("\(seq) \(event.executionID) \(event.eventID) \(event.type) \(event.timestamp) \(event.canonicalPayload) \(event.canonicalExtensions ?? "-")")
        }
        return events
    }

    private func visible(_ store: SQLiteEventStore) throws -> [String: String] {
        var executions: [String: String] = [:]
        try store.forEachExecution(ExecutionFilter()) { execution in
            executions[execution.snapshot.executionID] = JSONWriter.string(.object(execution.contractJSON))
        }
        return executions
    }
}
