import Foundation
import GRDB
@testable import SparkLedgerStorage
import SparkLedgerCore
import Testing

/// The log's row format (`EventGroup`, store version 6): what goes in comes out, the `events`
/// view shows each event as its own row, and a damaged row is an error that names it.
@Suite struct EventGroupTests {
    static func event(_ id: String, type: EventType = .state, at timestamp: Int64, payload: String, extensions: String? = nil) throws -> ExecutionEvent {
        try ExecutionEvent(eventID: id, executionID: "exec-1", type: type, timestamp: timestamp, source: .operator,
                           schemaVersion: 1, canonicalPayload: payload, canonicalExtensions: extensions)
    }

    @Test func eventsComeBackAsTheyWentIn() throws {
        let events = [
            try Self.event("plain-id", type: .submit, at: 1_790_000_000_000, payload: #"{"job_path":"a/b","team":"ads"}"#),
            try Self.event("quote \" and backslash \\ and tab\t and control \u{1}", at: 1_790_000_000_001, payload: #"{"operator_state":"Running"}"#,
                           extensions: #"{"trace":"x,y]"}"#),
            try Self.event("ünïcødé-🚀", type: .terminal, at: 1_790_000_000_002, payload: #"{"final_state":"SUCCEEDED","note":"a \"quoted\" ] , [ text"}"#),
        ]
        var pending = EventGroup.Pending()
        for (index, event) in events.enumerated() {
            pending.append(event, seq: 10 + Int64(index) * 3)
        }
        #expect(pending.count == 3 && pending.firstSeq == 10)
        let waiting = try pending.decoded()
        let group = pending.take()
        #expect(pending.isEmpty)
        #expect(group.firstSeq == 10 && group.count == 3)
        let stored = try group.events.withUnsafeBufferPointer { try EventGroup.decode($0) }
        #expect(stored.map(\.seq) == [10, 13, 16])
        #expect(waiting.map(\.seq) == stored.map(\.seq))
        for (logged, original) in zip(stored, events) {
            let back = try logged.event(executionID: "exec-1")
            #expect(back == original)
            #expect(back.canonicalPayload == original.canonicalPayload && back.canonicalExtensions == original.canonicalExtensions)
        }
        // The array is JSON: Foundation's parser reads it, the payload an object in it.
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(group.events)) as? [[Any]])
        #expect(parsed.count == 3)
        #expect(parsed.allSatisfy { $0.count == 10 && $0[8] is [String: Any] })
        #expect(parsed[1][1] as? String == events[1].eventID && parsed[1][9] is [String: Any] && parsed[0][9] is NSNull)
    }

    /// The element's exact bytes (the log's format is stored data), and integers of every length
    /// written as their decimal text: the writer sizes the element and writes it by pointer.
    @Test func elementsAreWrittenByteForByte() throws {
        var pending = EventGroup.Pending()
        pending.append(try Self.event("id \"1\"\n", at: 1_790_000_000_123, payload: #"{"operator_state":"Running"}"#,
                                      extensions: #"{"x":"é"}"#), seq: 7)
        pending.append(try Self.event("ünï", type: .running, at: 946_684_800_000, payload: "{}"), seq: 10)
        let expected = #"[[7,"id \"1\"\n","STATE",1790000000123,"operator",1,28,10,{"operator_state":"Running"},{"x":"é"}],"#
            + #"[10,"ünï","RUNNING",946684800000,"operator",1,2,0,{},null]]"#
        #expect(String(decoding: pending.take().events, as: UTF8.self) == expected)

        var magnitudes: [Int64] = [0, 9, 10, 99, 100, 999_999_999, 1_000_000_000, Int64.max]
        var power: Int64 = 1
        for _ in 0..<18 {
            power *= 10
            magnitudes += [power - 1, power, power + 1]
        }
        var events = EventGroup.Pending()
        for (index, number) in magnitudes.enumerated() {
            events.append(try ExecutionEvent(eventID: "e\(index)", executionID: "exec-1", type: .running, timestamp: number, source: .runner,
                                             schemaVersion: Int(truncatingIfNeeded: number), canonicalPayload: "{}", canonicalExtensions: nil),
                          seq: number)
        }
        let text = String(decoding: events.take().events, as: UTF8.self)
        for (index, number) in magnitudes.enumerated() {
            #expect(text.contains("[\(number),\"e\(index)\",\"RUNNING\",\(number),\"runner\",\(number),2,0,{},null]"), "\(number)")
        }
    }

    /// Every event type with every source: the names are written from tables made once.
    @Test func everyTypeAndSourceComeBackAsTheyWentIn() throws {
        var pending = EventGroup.Pending()
        var events: [ExecutionEvent] = []
        let payloads: [EventType: String] = [
            .submit: #"{"job_path":"a/b","team":"ads"}"#, .state: #"{"operator_state":"Running"}"#,
            .terminal: #"{"final_state":"SUCCEEDED"}"#,
        ]
        for type in EventType.allCases {
            for source in EventSource.allCases {
                let event = try ExecutionEvent(eventID: "\(type.rawValue)-\(source.rawValue)", executionID: "exec-1", type: type,
                                               timestamp: 1_790_000_000_000 + Int64(events.count), source: source, schemaVersion: 1,
                                               canonicalPayload: payloads[type] ?? "{}", canonicalExtensions: nil)
                pending.append(event, seq: Int64(events.count) + 1)
                events.append(event)
            }
        }
        let stored = try pending.take().events.withUnsafeBufferPointer { try EventGroup.decode($0) }
        #expect(stored.map(\.type) == events.map(\.type))
        #expect(stored.map(\.source) == events.map(\.source))
        #expect(stored.map(\.eventID) == events.map(\.eventID))
    }

    /// A duplicate's check decodes one event of a group, stepping over the others (ids with
    /// quotes and brackets, extensions or none): it is the event the whole decode gives.
    @Test func oneEventDecodedAloneIsTheEventOfTheWholeArray() throws {
        var pending = EventGroup.Pending()
        pending.append(try Self.event("quote \" ] , [ backslash \\", at: 1_790_000_000_000, payload: #"{"operator_state":"Running"}"#,
                                      extensions: #"{"trace":"x,y]"}"#), seq: 10)
        pending.append(try Self.event("plain", type: .submit, at: 1_790_000_000_001, payload: #"{"job_path":"a/b","team":"ads"}"#), seq: 13)
        pending.append(try Self.event("ünïcødé", type: .terminal, at: 1_790_000_000_002, payload: #"{"final_state":"SUCCEEDED"}"#), seq: 16)
        let waiting = try pending.decoded().map { Optional($0) }
        #expect(waiting.count == 3)
        let waitingAlone = try [10, 13, 16, 9, 11, 17].map { try pending.logged(seq: $0) }
        #expect(Array(waitingAlone.prefix(3)) == waiting)
        #expect(waitingAlone.suffix(3).allSatisfy { $0 == nil })
        let stored = pending.take().events
        let storedAlone = try stored.withUnsafeBufferPointer { buffer in try [10, 13, 16, 12].map { try EventGroup.decode(buffer, seq: $0) } }
        #expect(Array(storedAlone.prefix(3)) == waiting)
        #expect(storedAlone[3] == nil)
        // An event stepped over is still checked: a payload length past the end is an error.
        let text = String(decoding: stored, as: UTF8.self).replacingOccurrences(of: ",28,", with: ",999,")
        let result = Array(text.utf8).withUnsafeBufferPointer { buffer in
            Result { () throws(EventGroup.FormatError) in try EventGroup.decode(buffer, seq: 16) }
        }
        guard case .failure(let error) = result else {
            Issue.record("stepped over a damaged event")
            return
        }
        #expect(error.expected == "999 bytes of JSON")
    }

    @Test func aDamagedArrayIsAFormatErrorWithItsOffset() throws {
        var pending = EventGroup.Pending()
        pending.append(try Self.event("e1", at: 1_790_000_000_000, payload: #"{"operator_state":"Running"}"#), seq: 1)
        let good = pending.take().events
        let text = String(decoding: good, as: UTF8.self)
        #expect(text.contains(",28,0,{"))  // the payload's length, then the extensions' (none)
        let damaged: [(String, String)] = [
            (String(text.dropLast()), "`,` or `]`"),                                         // cut short
            (text.replacingOccurrences(of: ",28,0,", with: ",99,0,"), "99 bytes of JSON"),   // payload length past the end
            (text.replacingOccurrences(of: "\"STATE\"", with: "\"NOPE\""), "an event type"),
            (text.replacingOccurrences(of: "\"operator\"", with: "\"cron\""), "a source"),
            (text + " ", "the end of the array"),
            ("{}", "`[`"),
        ]
        for (bytes, expected) in damaged {
            let result = Array(bytes.utf8).withUnsafeBufferPointer { buffer in
                Result { () throws(EventGroup.FormatError) in try EventGroup.decode(buffer) }
            }
            guard case .failure(let error) = result else {
                Issue.record("decoded a damaged array: \(bytes)")
                continue
            }
            #expect(error.expected == expected, "\(bytes)")
            #expect(error.offset >= 0 && error.offset <= bytes.utf8.count)
        }
    }

    @Test func theEventsViewShowsEachEventAsARow() throws {
        let fixture = try StoreFixture()
        let history = StoreFixture.history(executions: 60, seed: 21)
        _ = try fixture.appendAll(history.lines, batchSize: 200)
        var fromStore: [String] = []
        try fixture.store.forEachEvent { seq, event in
            fromStore.append([String(seq), event.eventID, event.type.rawValue, String(event.timestamp), event.source.rawValue,
                              String(event.schemaVersion), event.canonicalPayload, event.canonicalExtensions ?? "NULL"].joined(separator: "|"))
        }
        let fromView = try fixture.store.read { db in
            try Row.fetchAll(db, sql: """
                SELECT seq, event_id, event_type, timestamp, source, schema_version, payload, coalesce(extensions, 'NULL') AS extensions,
                       typeof(seq) = 'integer' AND typeof(timestamp) = 'integer' AND typeof(schema_version) = 'integer' AS typed
                FROM events ORDER BY execution_key, seq
                """).map { row -> String in
                #expect(row["typed"] as Bool)
                let seq: Int64 = row["seq"], timestamp: Int64 = row["timestamp"], version: Int64 = row["schema_version"]
                let texts: [String] = [row["event_id"], row["event_type"], row["source"], row["payload"], row["extensions"]]
                return [String(seq), texts[0], texts[1], String(timestamp), texts[2], String(version), texts[3], texts[4]].joined(separator: "|")
            }
        }
        #expect(fromStore.count > 500)
        #expect(fromView == fromStore)
        #expect(try fixture.store.statistics().events == Int64(fromStore.count))
    }

    /// A low limit writes an execution's events of one transaction as several rows: look-ups,
    /// duplicates, refolds and replay read across them, and the store ends as with one row each.
    @Test func anExecutionsEventsOfOneTransactionMaySpanRows() throws {
        let history = StoreFixture.history(executions: 200, seed: 5, duplicateRate: 0.05, lateRate: 0.1)
        var states: [(executions: [String: String], usage: [DailyUsage])] = []
        var groups: [Int] = []
        for limit in [8 << 20, 1] {
            let fixture = try StoreFixture { $0.pendingLogLimitBytes = limit }
            var batches = stride(from: 0, to: history.lines.count, by: 150).map { start in
                IngestBatch(items: StoreFixture.items(Array(history.lines[start..<min(history.lines.count, start + 150)])))
            }.makeIterator()
            var outcome = AppendOutcome()
            try fixture.store.appendStream(transactionRecords: 1500, next: { batches.next() }, appended: { outcome.add($0) })
            #expect(outcome.duplicates > 0)
            #expect(try fixture.store.replay().identical)
            states.append(try fixture.visibleState())
            groups.append(try fixture.count("event_groups"))
        }
        #expect(states[0].executions == states[1].executions)
        #expect(states[0].usage == states[1].usage)
        #expect(groups[1] >= groups[0] * 3 / 2, "rows: \(groups)")
    }

    @Test func aDamagedRowIsAnErrorNamingIt() throws {
        let fixture = try StoreFixture()
        try fixture.append([Envelope.submit("s1")])
        try fixture.withDatabase { db in
            try db.execute(sql: #"INSERT INTO event_groups (first_seq, execution_key, event_count, events) VALUES (1000, 1, 1, '[[1000,"x"')"#)
        }
        #expect {
            _ = try fixture.store.events(ofExecution: "exec-1")
        } throws: { error in
            "\(error)".contains("event_groups row (execution_key 1, first_seq 1000) is damaged")
        }
    }

    /// A refold (an event that sorts before what was folded) decodes the execution's rows on
    /// another thread: a damaged one there fails the transaction with the error naming it, and
    /// what was committed before stays as it was.
    @Test func aRefoldThatMeetsADamagedRowFailsTheTransactionNamingIt() throws {
        let fixture = try StoreFixture()
        try fixture.append([Envelope.submit("s1", at: 1_790_000_000_000), Envelope.make("r1", at: 1_790_000_000_500)])
        try fixture.withDatabase { db in
            try db.execute(sql: #"INSERT INTO event_groups (first_seq, execution_key, event_count, events) VALUES (1000, 1, 1, '[[1000,"x"')"#)
        }
        let before = try fixture.visibleState()
        #expect {
            try fixture.append([Envelope.make("late", at: 1_790_000_000_100)])
        } throws: { error in
            "\(error)".contains("event_groups row (execution_key 1, first_seq 1000) is damaged")
        }
        #expect(try fixture.visibleState().executions == before.executions)
        #expect(try fixture.count("event_groups") == 2)
    }
}
