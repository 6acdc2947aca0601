import Foundation
import SparkLedgerCore
import SparkLedgerSynthetic
import SparkLedgerTestSupport
import Testing

/// The reference JSON Schema implementation (Python's jsonschema) and the pipeline's validator
/// agree on every document of a corpus: generated events of every type, the generator's invalid
/// records, and hand-made edge cases for each field.
///
/// Excluded, because a schema cannot express them: envelopes over 1 MiB, duplicate JSON keys
/// (Python keeps the last one), timestamps more than 24 h ahead of ingest time (the corpus is
/// checked at a far-future ingest time), and duplicates of stored events.
@Suite struct JSONSchemaAgreementTests {
    static let farFuture: Int64 = 4_000_000_000_000

    static func edgeCases() -> [String] {
        func envelope(_ type: String, _ payload: String, _ extra: String = "") -> String {
            #"{"event_id":"e","execution_id":"x-1","event_type":"\#(type)","timestamp":1790000000000,"source":"runner","schema_version":1,"payload":\#(payload)\#(extra)}"#
        }
        var cases: [String] = [
            envelope("RUNNING", "{}"),
            envelope("RUNNING", "{}", #","trace":{"id":1}"#),
            envelope("RUNNING", #"{"spark_ui_url":null,"vendor_run_id":"v"}"#),
            envelope("RUNNING", #"{"spark_ui_url":5}"#),
            envelope("CANCEL", #"{"reason":"x","requested_by":null,"extra":[1,2]}"#),
            envelope("CANCEL", #"{"reason":false}"#),
            envelope("STATE", #"{"operator_state":"RunningHealthy"}"#),
            envelope("STATE", #"{"operator_state":""}"#),
            envelope("STATE", #"{"operator_state":"X","attempt":-1}"#),
            envelope("STATE", #"{"operator_state":"X","attempt":2.0}"#),
            envelope("STATE", #"{"message":"no state"}"#),
            envelope("TERMINAL", #"{"final_state":"FAILED","error_class":"USER","exit_code":-9}"#),
            envelope("TERMINAL", #"{"final_state":"FAILED","error_class":"user"}"#),
            envelope("TERMINAL", #"{"final_state":"FAILED","error_class":null}"#),
            envelope("TERMINAL", #"{"final_state":"FAILED","exit_code":1.5}"#),
            envelope("SUBMIT", #"{"job_path":"a/b","team":"t"}"#),
            envelope("SUBMIT", #"{"job_path":"","team":"t"}"#),
            envelope("SUBMIT", #"{"job_path":"a/b","team":"t","vendor":"EMR","attempt":3,"labels":{"k":"v"}}"#),
            envelope("SUBMIT", #"{"job_path":"a/b","team":"t","vendor":"AWS"}"#),
            envelope("SUBMIT", #"{"job_path":"a/b","team":"t","attempt":0}"#),
            envelope("SUBMIT", #"{"job_path":"a/b","team":"t","labels":{"k":1}}"#),
            envelope("SUBMIT", #"{"job_path":"a/b","team":"t","labels":[]}"#),
            envelope("SUBMIT", #"{"job_path":"a/b","team":"t","parent_execution_id":"has space"}"#),
            envelope("SUBMIT", #"{"job_path":"a/b","team":"t","resources":{"executor":{"cores":0}}}"#),
            envelope("SUBMIT", #"{"job_path":"a/b","team":"t","resources":{"executor":{"instances":0,"cores":2,"memory_mb":4096},"driver":null}}"#),
            envelope("SUBMIT", #"{"job_path":"a/b","team":"t","resources":{"dynamic_allocation":{"enabled":"yes"}}}"#),
            envelope("SUBMIT", #"{"job_path":"a/b","team":"t","resources":"big"}"#),
            envelope("METRICS_SUMMARY", #"{"tasks":0,"spot_fraction":1,"executor_core_seconds":0.5}"#),
            envelope("METRICS_SUMMARY", #"{"tasks":-1}"#),
            envelope("METRICS_SUMMARY", #"{"tasks":2.5}"#),
            envelope("METRICS_SUMMARY", #"{"spot_fraction":1.01}"#),
            envelope("METRICS_SUMMARY", #"{"peak_driver_memory_mb":"lots"}"#),
            envelope("METRICS_SUMMARY", #"{"unknown_metric":-5}"#),
            envelope("NOPE", "{}"),
            envelope("RUNNING", "[]"),
            #"{"event_id":"e","execution_id":"x","event_type":"RUNNING","timestamp":"now","source":"runner","schema_version":1,"payload":{}}"#,
            #"{"event_id":"e","execution_id":"x","event_type":"RUNNING","timestamp":946684799999,"source":"runner","schema_version":1,"payload":{}}"#,
            #"{"event_id":"e","execution_id":"x","event_type":"RUNNING","timestamp":1790000000000,"source":"cron","schema_version":1,"payload":{}}"#,
            #"{"event_id":"e","execution_id":"x","event_type":"RUNNING","timestamp":1790000000000,"source":"runner","schema_version":2,"payload":{}}"#,
            #"{"event_id":"e","execution_id":"x","event_type":"RUNNING","timestamp":1790000000000,"source":"runner","schema_version":0,"payload":{}}"#,
            #"{"event_id":"","execution_id":"x","event_type":"RUNNING","timestamp":1790000000000,"source":"runner","schema_version":1,"payload":{}}"#,
            #"{"event_id":"e","execution_id":"a b","event_type":"RUNNING","timestamp":1790000000000,"source":"runner","schema_version":1,"payload":{}}"#,
            #"{"execution_id":"x","event_type":"RUNNING","timestamp":1790000000000,"source":"runner","schema_version":1,"payload":{}}"#,
            #"{"event_id":"é\#(String(repeating: "ü", count: 127))","execution_id":"x","event_type":"RUNNING","timestamp":1790000000000,"source":"runner","schema_version":1,"payload":{}}"#,
            #"{"event_id":"\#(String(repeating: "ü", count: 129))","execution_id":"x","event_type":"RUNNING","timestamp":1790000000000,"source":"runner","schema_version":1,"payload":{}}"#,
            "[1,2]",
            "\"text\"",
        ]
        // Every envelope member missing in turn.
        for member in EventValidator.envelopeFieldNames {
            let full = envelope("RUNNING", "{}")
            if case .object(var object)? = try? JSONParser.parse(full) {
                object.members.removeAll { $0.key == member }
                cases.append(JSONWriter.string(.object(object)))
            }
        }
        return cases
    }

    @Test func theReferenceValidatorAgreesWithThePipeline() throws {
        var generator = HistoryGenerator(HistoryConfiguration(executions: 120, seed: 77, invalidRate: 0.05))
        var corpus: [String] = []
        generator.generate { corpus.append(String(decoding: $0, as: UTF8.self)) }
        corpus += Self.edgeCases()
        let directory = TemporaryDirectory()
        let file = directory.file("corpus.ndjson")
        try corpus.joined(separator: "\n").appending("\n").write(toFile: file, atomically: true, encoding: .utf8)

        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("validate_with_jsonschema.py").path
        let result = try ProcessRunner.run(ProcessRunner.python, [script, JSONSchemaMatchesCodeTests.schemaDirectory.path, file])
        try #require(result.status == 0, "jsonschema helper failed: \(result.error)")
        let verdicts = result.output.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        try #require(verdicts.count == corpus.count)

        var compared = 0
        var seenReasons: Set<RejectionReason> = []
        for (document, verdict) in zip(corpus, verdicts) {
            let ours = EventValidator().validate(document, ingestTime: Self.farFuture)
            let referenceValid = verdict == "valid"
            switch ours {
            case .success:
                #expect(referenceValid, "the pipeline accepts what the schema rejects (\(verdict)): \(document.prefix(300))")
            case .failure(let rejection):
                seenReasons.insert(rejection.reason)
                #expect(!referenceValid, "the schema accepts what the pipeline rejects as \(rejection): \(document.prefix(300))")
            }
            compared += 1
        }
        #expect(compared > 1000)
        // The corpus exercised every reason a single document can have.
        #expect(seenReasons.isSuperset(of: [.malformed, .invalidEnvelope, .unsupportedSchemaVersion, .unknownEventType, .invalidTimestamp, .invalidPayload]))
    }
}
