import GRDB
@testable import SparkLedgerStorage
import SparkLedgerCore
import Testing

/// Contract §4, the last step: same event_id and same JSON value is a duplicate (counted, not
/// stored, not quarantined); same event_id and other content is a conflicting duplicate, and the
/// first stored wins.
@Suite struct DuplicateTests {
    let original = Envelope.make("e1", type: "METRICS_SUMMARY", payload: #"{"tasks":3,"executor_core_seconds":1.5}"#)
    /// The same JSON value: other key order, whitespace and number spelling.
    let reordered = #"{ "payload": {"executor_core_seconds": 1.50, "tasks": 3.0}, "schema_version": 1, "source": "runner", "timestamp": 1790000000000, "event_type": "METRICS_SUMMARY", "execution_id": "exec-1", "event_id": "e1" }"#
    let conflicting = Envelope.make("e1", type: "METRICS_SUMMARY", payload: #"{"tasks":4}"#)

    @Test func duplicatesInOneBatch() throws {
        let fixture = try StoreFixture()
        let outcome = try fixture.append([original, reordered, original])
        #expect(outcome.accepted == 1 && outcome.duplicates == 2 && outcome.quarantinedTotal == 0)
        #expect(try fixture.count("events") == 1)
    }

    @Test func duplicatesAcrossBatches() throws {
        let fixture = try StoreFixture()
        try fixture.append([original])
        let outcome = try fixture.append([reordered])
        #expect(outcome.accepted == 0 && outcome.duplicates == 1)
        #expect(try fixture.count("events") == 1)
        #expect(try fixture.store.execution(id: "exec-1")?.snapshot.eventCount == 1)
    }

    @Test func theFirstStoredWinsAConflict() throws {
        for split in [false, true] {
            let fixture = try StoreFixture()
            let outcome: AppendOutcome
            if split {
                try fixture.append([original])
                outcome = try fixture.append([conflicting])
            } else {
                outcome = try fixture.append([original, conflicting])
            }
            #expect(outcome.quarantined[.conflictingDuplicate] == 1)
            #expect(try fixture.store.execution(id: "exec-1")?.snapshot.metrics?.count(.tasks) == 3)
            let entry = try #require(try fixture.store.quarantine().first)
            #expect(entry.reason == .conflictingDuplicate)
            #expect(entry.raw == Array(conflicting.utf8))
            #expect(entry.eventID == "e1" && entry.executionID == "exec-1")
            #expect(entry.detail.hasPrefix("event_id \"e1\" is already stored (seq 1) with different content"))
            #expect(entry.origin == (split ? "file:test.ndjson:1" : "file:test.ndjson:2"))
        }
    }

    /// With the slot's owner waiting in event_ids_recent, and moved into event_id_blocks at once.
    @Test(arguments: [500_000, 1])
    func hashCollisionsAreConfirmedAgainstTheStoredEventID(recentEventIDsLimit: Int) throws {
        // Every event_id hashes to the same slot: each must still be told apart by its id.
        let fixture = try StoreFixture {
            $0.eventIDHash = { _ in 42 }
            $0.recentEventIDsLimit = recentEventIDsLimit
        }
        let events = (0..<50).map { Envelope.make("id-\($0)", execution: "exec-\($0 % 7)", at: 1_790_000_000_000 + Int64($0)) }
        #expect(try fixture.append(Array(events[0..<30])).accepted == 30)
        let outcome = try fixture.append(Array(events[20..<50]) + [Envelope.make("id-3", execution: "exec-3", at: 1)])
        #expect(outcome.accepted == 20)
        #expect(outcome.duplicates == 10)
        #expect(outcome.quarantined[.invalidTimestamp] == 1)  // timestamp 1 fails validation first
        let conflict = try fixture.append([Envelope.make("id-5", execution: "exec-5", at: 1_790_000_000_999)])
        #expect(conflict.quarantined[.conflictingDuplicate] == 1)
        #expect(try fixture.count("events") == 50)
        #expect(try fixture.indexedEventIDCount() == 1)
        #expect(try fixture.blockedEventIDCount() == (recentEventIDsLimit == 1 ? 1 : 0))
        #expect(try fixture.count("event_id_collisions") == 49)
        #expect(try fixture.store.replay(dryRun: true).identical)
    }

    /// An event_id that JSON must escape goes into the log escaped (the validating thread says
    /// so, `ValidatedInput.eventIDNeedsEscaping`), reads back as it was, and is found again.
    @Test func anEventIDThatNeedsEscapingIsStoredAndFoundAgain() throws {
        let fixture = try StoreFixture()
        let plain = Envelope.make("plain-1", execution: "exec-2")
        let quoted = Envelope.make(#"q\"uote\\back\u0001"#, execution: "exec-2", at: 1_790_000_000_001)
        #expect(try fixture.append([plain, quoted]).accepted == 2)
        var ids: [String] = []
        try fixture.store.forEachEvent { _, event in ids.append(event.eventID) }
        #expect(ids == ["plain-1", "q\"uote\\back\u{01}"])
        let again = try fixture.append([quoted, plain])
        #expect(again.accepted == 0 && again.duplicates == 2)
    }

    @Test func replayingAWholeHistoryAgainAddsNothing() throws {
        let fixture = try StoreFixture()
        let history = StoreFixture.history(executions: 300, seed: 11)
        let first = try fixture.appendAll(history.lines, batchSize: 997)
        let state = try fixture.visibleState()
        let again = try fixture.appendAll(history.lines, batchSize: 5000)
        #expect(again.accepted == 0)
        #expect(again.duplicates == first.accepted + first.duplicates)
        let after = try fixture.visibleState()
        #expect(after.executions == state.executions)
        #expect(after.usage == state.usage)
    }
}
