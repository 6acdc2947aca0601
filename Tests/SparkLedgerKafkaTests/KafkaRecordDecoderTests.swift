import SparkLedgerCore
import SparkLedgerIngest
import SparkLedgerKafka
import SparkLedgerStorage
import Testing

@Suite struct KafkaRecordDecoderTests {
    let envelope = #"{"event_id":"e1","execution_id":"exec-1","event_type":"RUNNING","timestamp":1790000000000,"source":"runner","schema_version":1,"payload":{}}"#
    let now: Int64 = 1_790_000_100_000

    func record(_ value: String, key: String? = "exec-1", headers: [(name: String, value: [UInt8]?)] = []) -> KafkaRecord {
        KafkaRecord(topic: "t", partition: 2, offset: 41, key: key.map { Array($0.utf8) }, value: Array(value.utf8), headers: headers)
    }

    @Test func anEnvelopeWithItsKeyIsAcceptedWithItsOrigin() throws {
        let decoded = KafkaRecordDecoder().decode(record(envelope, headers: [("content-type", Array("application/json".utf8))]), ingestTime: now)
        guard case .event(let input) = decoded.item else { Issue.record("expected an event, got \(decoded.item)"); return }
        #expect(input.event.eventID == "e1")
        #expect(input.origin == .kafka(topic: "t", partition: 2, offset: 41))
        #expect(input.messageKey == Array("exec-1".utf8))
        #expect(!decoded.keyMismatch)
    }

    /// The media type is read before its parameters, trimmed and case-insensitively; a header
    /// without a value, or with nothing before a `;`, means the default, JSON.
    @Test func everySpellingOfTheJSONMediaTypeIsJSON() {
        for value in ["application/json", "Application/JSON", " application/json ; charset=utf-8", "", ";", nil] as [String?] {
            let decoded = KafkaRecordDecoder().decode(record(envelope, headers: [("content-type", value.map { Array($0.utf8) })]), ingestTime: now)
            guard case .event(let input) = decoded.item else {
                Issue.record("content-type \(value ?? "without a value"): expected an event, got \(decoded.item)")
                continue
            }
            #expect(input.event.eventID == "e1")
        }
        let prefixed = KafkaRecordDecoder().decode(record(envelope, key: "exec-1x"), ingestTime: now)
        #expect(prefixed.keyMismatch, "a key that only starts with the execution_id differs from it")
    }

    @Test func aMissingOrDifferentKeyIsAcceptedButCounted() {
        for key in [nil, "exec-2"] as [String?] {
            let decoded = KafkaRecordDecoder().decode(record(envelope, key: key), ingestTime: now)
            guard case .event(let input) = decoded.item else { Issue.record("expected an event"); continue }
            #expect(input.event.executionID == "exec-1")
            #expect(decoded.keyMismatch)
        }
    }

    @Test func badMessagesBecomeQuarantineEntriesWithTheirOrigin() throws {
        let cases: [(KafkaRecord, RejectionReason, String)] = [
            (record("{not json"), .malformed, "not JSON"),
            (record(envelope, headers: [("content-type", Array("text/plain".utf8))]), .malformed, #"content-type "text/plain" is not supported"#),
            (record(envelope.replacingOccurrences(of: #""schema_version":1"#, with: #""schema_version":9"#)), .unsupportedSchemaVersion, "schema_version 9"),
            (record(String(repeating: " ", count: Contract.maximumEnvelopeBytes + 10)), .tooLarge, "envelope is 1048586 bytes"),
        ]
        for (input, reason, detail) in cases {
            let decoded = KafkaRecordDecoder().decode(input, ingestTime: now)
            guard case .rejected(let rejected) = decoded.item else { Issue.record("expected a rejection for \(reason)"); continue }
            #expect(rejected.rejection.reason == reason)
            #expect(rejected.rejection.detail.contains(detail), "\(rejected.rejection.detail)")
            #expect(rejected.origin.description == "kafka:t/2@41")
            #expect(rejected.messageKey == Array("exec-1".utf8))
            #expect(rejected.rawSize == input.value.count)
            #expect(rejected.raw.count == min(input.value.count, Contract.maximumEnvelopeBytes))
        }
    }
}
