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
}
