import GRDB
@testable import SparkLedgerStorage
import SparkLedgerCore
import Testing

@Suite struct AppendOnlyLogTests {
    @Test func theLogRefusesUpdatesAndDeletes() throws {
        // The first batch's ids move into event_id_blocks; the second's waits in event_ids_recent.
        let fixture = try StoreFixture { $0.recentEventIDsLimit = 2 }
        try fixture.append([Envelope.submit("s1"), Envelope.make("r1"), "not json"])
        try fixture.append([Envelope.make("m1", at: 1_790_000_001_000)])
        #expect(try fixture.blockedEventIDCount() == 2 && fixture.count("event_ids_recent") == 1)
        for sql in [
            "UPDATE event_groups SET event_count = 1", "DELETE FROM event_groups",
            // The per-event view of the log cannot be written at all.
            "UPDATE events SET timestamp = timestamp + 1", "DELETE FROM events",
            "UPDATE event_id_blocks SET first_hash = 99", "DELETE FROM event_id_blocks", "UPDATE event_ids_recent SET entries = x''",
            "UPDATE quarantine SET reason = 'malformed'", "DELETE FROM quarantine",
            "DELETE FROM executions", "UPDATE executions SET execution_id = 'other'",
        ] {
            #expect(throws: DatabaseError.self, "\(sql)") {
                try fixture.withDatabase { db in try db.execute(sql: sql) }
            }
        }
        #expect(try fixture.count("events") == 3)
        #expect(try fixture.count("event_groups") == 2)
        #expect(try fixture.count("quarantine") == 1)
        // Projections are not the log: replay may rewrite them.
        try fixture.withDatabase { db in try db.execute(sql: "UPDATE executions SET cost_usd = 1") }
    }

    @Test func theSchemaCarriesTheInvariants() throws {
        let fixture = try StoreFixture()
        try fixture.append([Envelope.submit("s1")])
        let bad = [
            "INSERT INTO events (event_id, execution_key, seq, event_type, timestamp, source, schema_version, payload) VALUES ('x', 1, 9, 'CANCEL', 1790000000000, 'runner', 1, '{}')",
            "INSERT INTO event_groups (first_seq, execution_key, event_count, events) VALUES (9, 1, 0, '[]')",
            "INSERT INTO event_groups (first_seq, execution_key, event_count, events) VALUES (0, 1, 1, '[]')",
            "INSERT INTO event_groups (first_seq, execution_key, event_count, events) VALUES (1, 1, 1, '[]')",  // seq 1 holds s1's group
            "INSERT INTO quarantine (reason, detail, origin, raw, raw_size, quarantined_at) VALUES ('bad', '', '', x'00', 1, 0)",
        ]
        for sql in bad {
            #expect(throws: DatabaseError.self, "\(sql)") { try fixture.withDatabase { db in try db.execute(sql: sql) } }
        }
    }
}
