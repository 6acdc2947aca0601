import Foundation
import SparkLedgerCore
import SparkLedgerIngest
import SparkLedgerKafka
import SparkLedgerProtobuf
import SparkLedgerSynthetic
import SparkLedgerStorage
import Testing

/// A protobuf record stores exactly as the same event sent as JSON, and bad protobuf records are
/// quarantined for the contract's reasons, in the contract's order.
@Suite struct ProtobufEnvelopeTests {
    let now: Int64 = HistoryConfiguration.defaultEnd + 86_400_000
    let decoder = KafkaRecordDecoder()

    func record(_ value: [UInt8], contentType: String = ProtobufEnvelope.contentType) -> KafkaRecord {
        KafkaRecord(topic: "t", partition: 0, offset: 7, key: Array("exec-1".utf8), value: value,
                    headers: [("content-type", Array(contentType.utf8))])
    }

    func decoded(_ value: [UInt8], contentType: String = ProtobufEnvelope.contentType) -> Result<ExecutionEvent, Rejection> {
        switch decoder.decode(record(value, contentType: contentType), ingestTime: now).item {
        case .event(let input): return .success(input.event)
        case .rejected(let rejected): return .failure(rejected.rejection)
        }
    }

    @Test func everyGeneratedEventDecodesFromProtobufToTheEventItsJSONGives() throws {
        var generator = HistoryGenerator(HistoryConfiguration(executions: 300, seed: 5, duplicateRate: 0.05, invalidRate: 0.05))
        var lines: [[UInt8]] = []
        generator.generate { lines.append($0) }
        var accepted = 0
        var withoutProtobufForm = 0
        for line in lines {
            let fromJSON = decoded(line, contentType: KafkaRecordDecoder.json)
            guard case .object(let envelope)? = try? JSONParser.parse(line), let message = ProtobufEnvelope.encode(envelope) else {
                withoutProtobufForm += 1
                continue
            }
            let fromProtobuf = decoded(message)
            switch (fromJSON, fromProtobuf) {
            case (.success(let json), .success(let protobuf)):
                #expect(json == protobuf)
                accepted += 1
            case (.failure(let json), .failure(let protobuf)):
                #expect(json.reason == protobuf.reason, "\(json) vs \(protobuf)")
            default:
                Issue.record("JSON gives \(fromJSON), protobuf \(fromProtobuf) for \(String(decoding: line, as: UTF8.self))")
            }
        }
        #expect(accepted > 1_500)
        // Only the generator's deliberately broken lines (wrong types, not JSON) lack a protobuf form.
        #expect(withoutProtobufForm < lines.count / 20)
    }

    @Test func anEnvelopeWithoutAnExactProtobufFormIsNotEncoded() throws {
        let valid = #"{"event_id":"e1","execution_id":"exec-1","event_type":"CANCEL","timestamp":1790000000000,"source":"runner","schema_version":1,"payload":{"reason":"x"}}"#
        #expect(ProtobufEnvelope.encode(try object(valid)) != nil)
        for broken in [
            valid.replacingOccurrences(of: "1790000000000", with: #""1790000000000""#),  // a string timestamp
            valid.replacingOccurrences(of: #""reason":"x""#, with: #""reason":"x","extra":1"#),  // an unknown member
            valid.replacingOccurrences(of: #""event_type":"CANCEL""#, with: #""event_type":"PAUSE""#),  // an unknown type
            valid.replacingOccurrences(of: #","schema_version":1"#, with: #","schema_version":1,"trace":"t""#),  // an extension
        ] {
            #expect(ProtobufEnvelope.encode(try object(broken)) == nil, "\(broken)")
        }
    }

    func object(_ text: String) throws -> JSONObject {
        guard case .object(let object) = try JSONParser.parse(Array(text.utf8)) else { throw CocoaError(.coderInvalidValue) }
        return object
    }

    func message(type: Sparkledger_V1_EventType = .cancel, payload: [UInt8] = [],
                 _ change: (inout Sparkledger_V1_ExecutionEvent) -> Void = { _ in }) throws -> [UInt8] {
        var message = Sparkledger_V1_ExecutionEvent()
        message.eventID = "e1"
        message.executionID = "exec-1"
        message.eventType = type
        message.timestamp = 1_790_000_000_000
        message.source = .runner
        message.schemaVersion = 1
        message.payload = Data(payload)
        change(&message)
        return try message.serializedBytes()
    }

    @Test func badProtobufRecordsAreQuarantinedForTheContractsReasons() throws {
        var terminal = Sparkledger_V1_TerminalPayload()
        terminal.finalState = .failed
        terminal.exitCode = 137
        let terminalBytes: [UInt8] = try terminal.serializedBytes()
        guard case .success(let event) = decoded(try message(type: .terminal, payload: terminalBytes)) else {
            Issue.record("a valid TERMINAL was rejected"); return
        }
        #expect(event.type == .terminal)

        let cases: [([UInt8], RejectionReason, String)] = [
            ([0xFF, 0xFF, 0xFF], .malformed, "not an ExecutionEvent protobuf message"),
            (try message { $0.eventID = "" }, .invalidEnvelope, "event_id"),
            (try message { $0.source = .unspecified }, .invalidEnvelope, "source"),
            (try message { $0.schemaVersion = 2 }, .unsupportedSchemaVersion, "schema_version 2"),
            (try message { $0.eventType = .UNRECOGNIZED(42) }, .unknownEventType, #""42""#),
            (try message { $0.timestamp = 0 }, .invalidTimestamp, "timestamp"),
            // A payload that is not a TerminalPayload message (a truncated varint).
            (try message(type: .terminal, payload: [0x08]), .invalidPayload, "payload is not a TERMINAL protobuf message"),
            // A payload that decodes but breaks a rule: TERMINAL needs final_state.
            (try message(type: .terminal), .invalidPayload, "final_state"),
            // The size check comes first.
            (try message { $0.eventID = String(repeating: "x", count: Contract.maximumEnvelopeBytes) }, .tooLarge, "limit"),
        ]
        for (bytes, reason, detail) in cases {
            guard case .failure(let rejection) = decoded(bytes) else { Issue.record("expected \(reason)"); continue }
            #expect(rejection.reason == reason, "\(rejection)")
            #expect(rejection.detail.contains(detail), "\(rejection.detail)")
        }
    }
}
