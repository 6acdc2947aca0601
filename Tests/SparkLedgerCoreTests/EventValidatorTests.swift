import SparkLedgerCore
import Testing

/// Contract §4: one reason per check, checks in the contract's order, details that name the
/// field and the value. (Duplicates and conflicting duplicates need the store: see the storage tests.)
@Suite struct EventValidatorTests {
    let validator = EventValidator()
    let now: Int64 = 1_800_000_000_000

    private func reason(_ text: String) -> RejectionReason? {
        if case .failure(let rejection) = validator.validate(text, ingestTime: now) { return rejection.reason }
        return nil
    }

    private func detail(_ text: String) -> String {
        if case .failure(let rejection) = validator.validate(text, ingestTime: now) { return rejection.detail }
        return "(accepted)"
    }

    /// A valid envelope with one member replaced (or removed with nil).
    private func envelope(_ changes: [String: String?] = [:]) -> String {
        var members: [(String, String)] = [
            ("event_id", "\"e-1\""), ("execution_id", "\"exec-1\""), ("event_type", "\"TERMINAL\""),
            ("timestamp", "1790000000000"), ("source", "\"runner\""), ("schema_version", "1"),
            ("payload", #"{"final_state":"FAILED"}"#),
        ]
        for (key, value) in changes {
            if let index = members.firstIndex(where: { $0.0 == key }) {
                if let value { members[index].1 = value } else { members.remove(at: index) }
            } else if let value {
                members.append((key, value))
            }
        }
        return "{" + members.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    @Test func acceptsAValidEnvelopeAndKeepsUnknownMembers() throws {
        let result = validator.validate(envelope(["trace_id": "\"abc\"", "payload": #"{"final_state":"FAILED","retries":2}"#]), ingestTime: now)
        let event = try result.get()
        #expect(event.type == .terminal)
        #expect(event.canonicalPayload == #"{"final_state":"FAILED","retries":2}"#)
        #expect(event.canonicalExtensions == #"{"trace_id":"abc"}"#)
    }

    /// The form that writes the event in place (file ingest and Kafka use it): the same event as
    /// the `Result` form, and nil after any rejection, whatever the variable held before.
    @Test func validatingIntoAVariableLeavesItNilOnEveryRejection() throws {
        let valid = Array(envelope(["trace_id": "\"abc\""]).utf8)
        var tape: JSONTape?
        var event: ExecutionEvent?
        #expect(validator.validate(valid, ingestTime: now, tape: &tape, into: &event) == nil)
        #expect(event == (try validator.validate(valid, ingestTime: now).get()))
        #expect(event?.canonicalExtensions == #"{"trace_id":"abc"}"#)
        let small = EventValidator(maximumEnvelopeBytes: 64)
        let rejected: [(EventValidator, String, RejectionReason)] = [
            (small, envelope(), .tooLarge), (validator, "not json", .malformed), (validator, "[1]", .malformed),
            (validator, envelope(["event_id": nil]), .invalidEnvelope), (validator, envelope(["event_type": "\"NOPE\""]), .unknownEventType),
            (validator, envelope(["timestamp": "1"]), .invalidTimestamp), (validator, envelope(["payload": "{}"]), .invalidPayload),
        ]
        for (checker, text, reason) in rejected {
            #expect(validator.validate(valid, ingestTime: now, tape: &tape, into: &event) == nil)
            #expect(event != nil)
            let rejection = Array(text.utf8).withUnsafeBufferPointer { checker.validate($0, ingestTime: now, tape: &tape, into: &event) }
            #expect(rejection?.reason == reason, "\(text)")
            #expect(event == nil, "\(text)")
        }
    }

    @Test func tooLarge() {
        let small = EventValidator(maximumEnvelopeBytes: 64)
        let result = small.validate(envelope(), ingestTime: now)
        guard case .failure(let rejection) = result else { Issue.record("accepted"); return }
        #expect(rejection.reason == .tooLarge)
        #expect(rejection.detail.contains("limit is 64"))
        // Exactly 1 MiB is allowed; one byte more is not (the size check runs before parsing).
        let padding = String(repeating: " ", count: Contract.maximumEnvelopeBytes - envelope().utf8.count)
        #expect(reason(envelope() + padding) == nil)
        #expect(reason(envelope() + padding + " ") == .tooLarge)
        #expect(reason(String(repeating: "x", count: Contract.maximumEnvelopeBytes + 1)) == .tooLarge)
    }

    @Test func malformed() {
        #expect(reason("{\"event_id\": ") == .malformed)
        #expect(reason("not json") == .malformed)
        #expect(reason("[1, 2, 3]") == .malformed)  // valid JSON, not an object
        #expect(reason("\"a string\"") == .malformed)
        #expect(reason(envelope() + " trailing") == .malformed)
        #expect(reason(#"{"event_id":"a","event_id":"b"}"#) == .malformed)  // duplicate key: ambiguous
        #expect(detail("[1]").contains("expected a JSON object, got an array"))
        #expect(validator.validate([0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D], ingestTime: now).failureReason == .malformed)  // invalid UTF-8
    }

    @Test func invalidEnvelope() {
        #expect(reason(envelope(["timestamp": "\"2026-10-01T00:00:00Z\""])) == .invalidEnvelope)
        #expect(reason(envelope(["timestamp": "1790000000000.5"])) == .invalidEnvelope)
        #expect(reason(envelope(["execution_id": "\"exec 1\""])) == .invalidEnvelope)
        #expect(reason(envelope(["execution_id": "\"\(String(repeating: "x", count: 129))\""])) == .invalidEnvelope)
        #expect(reason(envelope(["source": "\"scheduler\""])) == .invalidEnvelope)
        #expect(reason(envelope(["payload": "[]"])) == .invalidEnvelope)
        #expect(reason(envelope(["payload": nil])) == .invalidEnvelope)
        #expect(reason(envelope(["event_id": "\"\""])) == .invalidEnvelope)
        #expect(reason(envelope(["event_id": nil])) == .invalidEnvelope)
        #expect(reason(envelope(["event_type": "5"])) == .invalidEnvelope)
        #expect(reason(envelope(["schema_version": "0"])) == .invalidEnvelope)
        #expect(reason(envelope(["schema_version": "\"1\""])) == .invalidEnvelope)
        #expect(detail(envelope(["execution_id": "\"exec 1\""])) == #"execution_id must be 1–128 characters of [A-Za-z0-9._:-], got "exec 1""#)
        #expect(detail(envelope(["timestamp": "\"yesterday\""])) == #"timestamp must be an integer, got "yesterday""#)
        // Integral numbers are integers whatever their spelling (JSON Schema's rule too).
        #expect(reason(envelope(["timestamp": "1.79e12"])) == nil)
    }

    @Test func unsupportedSchemaVersion() {
        #expect(reason(envelope(["schema_version": "2"])) == .unsupportedSchemaVersion)
        #expect(detail(envelope(["schema_version": "7"])).contains("schema_version 7"))
    }

    @Test func unknownEventType() {
        #expect(reason(envelope(["event_type": "\"RESTARTED\""])) == .unknownEventType)
        #expect(reason(envelope(["event_type": "\"submit\""])) == .unknownEventType)  // names are case-sensitive
        #expect(detail(envelope(["event_type": "\"RESTARTED\""])).hasPrefix(#"event_type "RESTARTED" is not one of SUBMIT"#))
    }

    /// Type and source names are matched by length first: each name is its case, and near
    /// misses (case, padding, a prefix, the other names of the same length) are none.
    @Test func typeAndSourceNamesAreExactlyTheContracts() {
        let types: [String: EventType] = ["SUBMIT": .submit, "RUNNING": .running, "STATE": .state,
                                          "METRICS_SUMMARY": .metricsSummary, "CANCEL": .cancel, "TERMINAL": .terminal]
        #expect(types.count == EventType.allCases.count)
        for (name, type) in types {
            #expect(EventType(rawValue: name) == type && type.rawValue == name)
            for miss in [name.lowercased(), name + " ", " " + name, String(name.dropLast()), name + "S"] {
                #expect(EventType(rawValue: miss) == nil, "\(miss)")
            }
        }
        let sources: [String: EventSource] = ["runner": .runner, "operator": .operator, "importer": .importer]
        #expect(sources.count == EventSource.allCases.count)
        for (name, source) in sources {
            #expect(EventSource(rawValue: name) == source && source.rawValue == name)
            for miss in [name.uppercased(), name + " ", String(name.dropLast()), name + "s"] {
                #expect(EventSource(rawValue: miss) == nil, "\(miss)")
            }
        }
        #expect(EventType(rawValue: "") == nil && EventSource(rawValue: "") == nil)
    }

    /// The validator reads the type and the source from the line's bytes (`CaseNames`): each
    /// name, spelt plainly or with an escape, is its case; near misses are rejected with the
    /// reason of their step and the name as it came.
    @Test func typeAndSourceNamesInALineAreExactlyTheContracts() throws {
        for type in EventType.allCases {
            for spelling in ["\"\(type.rawValue)\"", "\"\\u00\(String(type.rawValue.utf8.first!, radix: 16))\(type.rawValue.dropFirst())\""] {
                let result = validator.validate(envelope(["event_type": spelling, "payload": "{}"]), ingestTime: now)
                switch type {
                case .running, .metricsSummary, .cancel:  // `{}` is a whole payload of these
                    #expect(try result.get().type == type, "\(spelling)")
                case .submit, .state, .terminal:  // and not of these: the payload step names the type it read
                    #expect(detail(envelope(["event_type": spelling, "payload": "{}"])).hasPrefix(type.rawValue + " payload."), "\(spelling)")
                }
            }
            for miss in [type.rawValue.lowercased(), type.rawValue + " ", String(type.rawValue.dropLast()), type.rawValue + "S"] {
                let line = envelope(["event_type": "\"\(miss)\""])
                #expect(reason(line) == .unknownEventType && detail(line).hasPrefix("event_type \"\(miss)\" is not one of"), "\(miss)")
            }
        }
        for source in EventSource.allCases {
            #expect(try validator.validate(envelope(["source": "\"\(source.rawValue)\""]), ingestTime: now).get().source == source)
            for miss in [source.rawValue.uppercased(), source.rawValue + " ", String(source.rawValue.dropLast()), ""] {
                let line = envelope(["source": "\"\(miss)\""])
                #expect(reason(line) == .invalidEnvelope && detail(line).hasPrefix("source must be one of"), "\(miss)")
            }
        }
        #expect(reason(envelope(["event_type": "\"\""])) == .invalidEnvelope)
        #expect(reason(envelope(["source": "7"])) == .invalidEnvelope)
    }

    /// A summary's fields are found whatever order they come in (the reader tries the field after
    /// the last one first): the contract's order, reversed, shuffled with unknown members and
    /// nulls between them, all give the same summary.
    @Test func metricsFieldsAreReadInAnyOrder() throws {
        let fields = MetricsSummary.Field.allCases
        func member(_ field: MetricsSummary.Field, _ position: Int) -> JSONObject.Member {
            let value: JSONValue = field.kind == .count ? .int(Int64(position) * 1_000 + 7)
                : field.kind == .fraction ? .double(0.25) : .double(Double(position) + 0.5)
            return .init(field.rawValue, value)
        }
        let inOrder = fields.enumerated().map { member($1, $0) }
        let expected = try MetricsSummary(PayloadReader(JSONObject(inOrder)))
        #expect(MetricsSummary.Field.allCases.allSatisfy { expected.value($0) != nil })
        var random = SystemRandomNumberGenerator()
        var orders = [Array(inOrder.reversed())]
        for _ in 0..<20 {
            var shuffled = inOrder.shuffled(using: &random)
            shuffled.insert(.init("not_a_field", .int(1)), at: Int.random(in: 0...shuffled.count, using: &random))
            shuffled.insert(.init("tasks_x", .null), at: Int.random(in: 0...shuffled.count, using: &random))
            orders.append(shuffled)
        }
        for order in orders {
            #expect(try MetricsSummary(PayloadReader(JSONObject(order))) == expected)
        }
        // A null field is absent, wherever it stands.
        var withNull = inOrder
        withNull[3] = .init(fields[3].rawValue, .null)
        #expect(try MetricsSummary(PayloadReader(JSONObject(withNull))).value(fields[3]) == nil)
    }

    @Test func invalidTimestamp() {
        #expect(reason(envelope(["timestamp": "946684799999"])) == .invalidTimestamp)  // 1 ms before 2000
        #expect(reason(envelope(["timestamp": "946684800000"])) == nil)
        #expect(reason(envelope(["timestamp": "-5"])) == .invalidTimestamp)
        #expect(reason(envelope(["timestamp": "\(now + 86_400_000)"])) == nil)  // exactly 24 h ahead
        #expect(reason(envelope(["timestamp": "\(now + 86_400_001)"])) == .invalidTimestamp)
    }

    @Test func invalidPayload() {
        #expect(reason(envelope(["payload": #"{"final_state":"DONE"}"#])) == .invalidPayload)
        #expect(reason(envelope(["payload": "{}"])) == .invalidPayload)
        #expect(reason(envelope(["event_type": "\"SUBMIT\"", "payload": #"{"job_path":"a/b"}"#])) == .invalidPayload)
        #expect(reason(envelope(["event_type": "\"SUBMIT\"", "payload": #"{"job_path":"a/b","team":"t","attempt":0}"#])) == .invalidPayload)
        #expect(reason(envelope(["event_type": "\"SUBMIT\"", "payload": #"{"job_path":"a/b","team":"t","vendor":"GCP"}"#])) == .invalidPayload)
        #expect(reason(envelope(["event_type": "\"SUBMIT\"", "payload": #"{"job_path":"a/b","team":"t","labels":{"x":1}}"#])) == .invalidPayload)
        #expect(reason(envelope(["event_type": "\"SUBMIT\"", "payload": #"{"job_path":"a/b","team":"t","resources":{"executor":{"memory_mb":"8g"}}}"#])) == .invalidPayload)
        #expect(reason(envelope(["event_type": "\"STATE\"", "payload": "{}"])) == .invalidPayload)
        #expect(reason(envelope(["event_type": "\"METRICS_SUMMARY\"", "payload": #"{"shuffle_read_bytes":-1}"#])) == .invalidPayload)
        #expect(reason(envelope(["event_type": "\"METRICS_SUMMARY\"", "payload": #"{"tasks":1.5}"#])) == .invalidPayload)
        #expect(reason(envelope(["event_type": "\"METRICS_SUMMARY\"", "payload": #"{"spot_fraction":1.2}"#])) == .invalidPayload)
        #expect(reason(envelope(["event_type": "\"METRICS_SUMMARY\"", "payload": #"{"executor_core_seconds":12.5,"spot_fraction":0.5}"#])) == nil)
        #expect(reason(envelope(["event_type": "\"RUNNING\"", "payload": #"{"spark_ui_url":42}"#])) == .invalidPayload)
        #expect(reason(envelope(["event_type": "\"CANCEL\"", "payload": #"{"reason":null,"requested_by":"ana"}"#])) == nil)
        #expect(detail(envelope(["event_type": "\"SUBMIT\"", "payload": #"{"job_path":"a/b","team":"t","resources":{"executor":{"memory_mb":"8g"}}}"#]))
            == #"SUBMIT payload.resources.executor.memory_mb must be an integer ≥ 1, got "8g""#)
        #expect(detail(envelope(["payload": "{}"])) == #"TERMINAL payload.final_state is required (one of "SUCCEEDED", "FAILED", "CANCELLED")"#)
    }

    @Test func checksRunInTheContractsOrder() {
        // Each line breaks two rules; the earlier check names the reason.
        #expect(reason(envelope(["source": "\"x\"", "schema_version": "9"])) == .invalidEnvelope)
        #expect(reason(envelope(["schema_version": "9", "event_type": "\"NOPE\""])) == .unsupportedSchemaVersion)
        #expect(reason(envelope(["event_type": "\"NOPE\"", "timestamp": "5"])) == .unknownEventType)
        #expect(reason(envelope(["timestamp": "5", "payload": "{}"])) == .invalidTimestamp)
        #expect(reason(envelope(["payload": "[]", "event_type": "\"NOPE\""])) == .invalidEnvelope)
        let small = EventValidator(maximumEnvelopeBytes: 10)
        #expect(small.validate("not json at all", ingestTime: now).failureReason == .tooLarge)
    }

    @Test func reasonCodesAreTheContracts() {
        #expect(RejectionReason.allCases.map(\.rawValue) == [
            "too_large", "malformed", "invalid_envelope", "unsupported_schema_version", "unknown_event_type",
            "invalid_timestamp", "invalid_payload", "conflicting_duplicate",
        ])
    }
}

extension Result where Failure == Rejection {
    var failureReason: RejectionReason? {
        if case .failure(let rejection) = self { return rejection.reason }
        return nil
    }
}
