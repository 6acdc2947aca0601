import SparkLedgerCore
import Testing

@Suite struct RecentPayloadsTests {
    private let ingestTime: Int64 = 1_800_000_000_000

    private func line(_ id: String, _ type: String, _ payload: String) -> String {
        #"{"event_id":"\#(id)","execution_id":"09904e71-a3fb-4fea-8ff5-d779e8e36d33","event_type":"\#(type)","timestamp":1793052377813,"source":"operator","schema_version":1,"payload":\#(payload)}"#
    }

    /// Validates each line in turn with one tape and `recent`; also checks each result against the
    /// same line validated alone.
    private func validate(_ lines: [String], recent: RecentValues) throws -> [Result<ExecutionEvent, Rejection>] {
        let validator = EventValidator()
        var tape: JSONTape?
        return try lines.map { line in
            var event: ExecutionEvent?
            let rejection = Array(line.utf8).withUnsafeBufferPointer {
                validator.validate($0, ingestTime: ingestTime, tape: &tape, recent: recent, into: &event)
            }
            let result: Result<ExecutionEvent, Rejection> = try rejection.map { .failure($0) } ?? .success(#require(event))
            #expect(result == validator.validate(line, ingestTime: ingestTime))
            return result
        }
    }

    private func storage(of string: String) -> UnsafePointer<UInt8>? {
        string.withBorrowedUTF8 { $0.baseAddress }
    }

    @Test func theSamePayloadBytesAgainGiveTheKeptPayloadAndText() throws {
        let payload = #"{"operator_state":"DriverRequested","attempt":0}"#
        // One slot for strings, which each event's execution_id takes: the shared text is the payload table's doing.
        let recent = RecentValues(strings: RecentStrings(slotCount: 1))
        let events = try validate([line("e-1", "STATE", payload), line("e-2", "STATE", payload)], recent: recent).map { try $0.get() }
        #expect(events[1].payload == .state(StatePayload(operatorState: "DriverRequested", attempt: 0)))
        #expect(events[1].canonicalPayload == #"{"attempt":0,"operator_state":"DriverRequested"}"#)
        #expect(storage(of: events[0].canonicalPayload) == storage(of: events[1].canonicalPayload))
        #expect(events[0].eventID == "e-1" && events[1].eventID == "e-2")
    }

    @Test func theSameBytesInAnotherEventTypeAreDecodedForThatType() throws {
        // `{}` is a whole CANCEL payload, a whole RUNNING payload and a whole METRICS_SUMMARY payload.
        let events = try validate([line("e-1", "CANCEL", "{}"), line("e-2", "RUNNING", "{}"), line("e-3", "METRICS_SUMMARY", "{}"),
                                   line("e-4", "CANCEL", "{}")], recent: RecentValues(payloads: RecentPayloads(slotCount: 1))).map { try $0.get() }
        #expect(events.map(\.type) == [.cancel, .running, .metricsSummary, .cancel])
        guard case .cancel = events[0].payload, case .running = events[1].payload, case .metricsSummary = events[2].payload,
              case .cancel = events[3].payload else {
            Issue.record("payloads decoded as \(events.map(\.payload))")
            return
        }
    }

    @Test func aPayloadThatTakesTheSlotOfAnotherReplacesItAndValuesStayRight() throws {
        let submitted = #"{"operator_state":"Submitted"}"#, running = #"{"operator_state":"Running"}"#
        let events = try validate([line("e-1", "STATE", submitted), line("e-2", "STATE", running), line("e-3", "STATE", submitted),
                                   line("e-4", "STATE", submitted)],
                                  recent: RecentValues(strings: RecentStrings(slotCount: 1), payloads: RecentPayloads(slotCount: 1)))
            .map { try $0.get() }
        #expect(events.map(\.canonicalPayload) == [submitted, running, submitted, submitted])
        let submittedPayload = EventPayload.state(StatePayload(operatorState: "Submitted"))
        #expect(events.map(\.payload) == [submittedPayload, .state(StatePayload(operatorState: "Running")), submittedPayload, submittedPayload])
        // One slot each: Running pushed the first Submitted out of both tables.
        #expect(storage(of: events[0].canonicalPayload) != storage(of: events[2].canonicalPayload))
        #expect(storage(of: events[2].canonicalPayload) == storage(of: events[3].canonicalPayload))
    }

    @Test func rejectedLongAndEscapedPayloadsComeOutAsWithoutTheTable() throws {
        let message = String(repeating: "m", count: RecentPayloads.maximumLength)
        let long = #"{"operator_state":"Failed","message":"\#(message)"}"#
        let escaped = #"{"operator_state":"Run\u006eing"}"#
        let results = try validate([
            line("e-1", "STATE", #"{"attempt":0}"#), line("e-2", "STATE", #"{"attempt":0}"#),  // no operator_state, twice
            line("e-3", "STATE", long), line("e-4", "STATE", long),
            line("e-5", "STATE", escaped), line("e-6", "STATE", escaped), line("e-7", "STATE", #"{"operator_state":"Running"}"#),
        ], recent: RecentValues())
        for result in results.prefix(2) {
            #expect(throws: Rejection.self) { try result.get() }
            if case .failure(let rejection) = result { #expect(rejection.reason == .invalidPayload) }
        }
        let events = try results.dropFirst(2).map { try $0.get() }
        #expect(events[0].canonicalPayload == #"{"message":"\#(message)","operator_state":"Failed"}"#)
        #expect(events[1].canonicalPayload == events[0].canonicalPayload)
        // Over the limit: built again, not shared.
        #expect(storage(of: events[0].canonicalPayload) != storage(of: events[1].canonicalPayload))
        #expect(events[2...].allSatisfy { $0.canonicalPayload == #"{"operator_state":"Running"}"# && $0.payload == .state(StatePayload(operatorState: "Running")) })
        #expect(storage(of: events[2].canonicalPayload) == storage(of: events[3].canonicalPayload))
    }
    /// The log's readers key the table by the stored canonical text.
    @Test func storedTextsDecodedWithTheTableEqualTheirDecodingAndShareIt() throws {
        func stored(_ id: String, _ type: EventType, _ text: String, recent: RecentPayloads?) throws -> ExecutionEvent {
            try ExecutionEvent(eventID: id, executionID: "exec-1", type: type, timestamp: 1_793_052_377_813, source: .operator,
                               schemaVersion: 1, canonicalPayload: text, canonicalExtensions: nil, recent: recent)
        }
        let evicted = #"{"message":"driver pod evicted by the node's kubelet","operator_state":"Failed"}"#
        let inputs: [(EventType, String)] = [(.state, evicted), (.state, evicted), (.cancel, "{}"), (.running, "{}"), (.cancel, "{}"),
                                             (.terminal, #"{"final_state":"SUCCEEDED"}"#)]
        let recent = RecentPayloads()
        let shared = try inputs.enumerated().map { try stored("e-\($0.offset)", $0.element.0, $0.element.1, recent: recent) }
        let alone = try inputs.enumerated().map { try stored("e-\($0.offset)", $0.element.0, $0.element.1, recent: nil) }
        #expect(shared == alone)
        guard case .state(let first) = shared[0].payload, case .state(let second) = shared[1].payload,
              let firstMessage = first.message, let secondMessage = second.message,
              case .state(let other) = alone[1].payload, let otherMessage = other.message else {
            Issue.record("payloads decoded as \(shared.map(\.payload))")
            return
        }
        #expect(storage(of: firstMessage) == storage(of: secondMessage))  // decoded once
        #expect(storage(of: firstMessage) != storage(of: otherMessage))
        guard case .running = shared[3].payload, case .cancel = shared[4].payload else {
            Issue.record("payloads decoded as \(shared.map(\.payload))")
            return
        }
        // A stored text that does not decode fails as without the table, every time.
        for _ in 0..<2 {
            #expect(throws: FieldError.self) { try stored("e-9", .state, #"{"attempt":0}"#, recent: recent) }
        }
    }
}
