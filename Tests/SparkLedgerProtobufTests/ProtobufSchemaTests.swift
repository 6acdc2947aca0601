import Foundation
import SparkLedgerCore
import Testing

/// schemas/execution_event.proto, the committed generated code and the JSON contract agree.
@Suite struct ProtobufSchemaTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let proto = root.appendingPathComponent("schemas/execution_event.proto")
    static let generated = root.appendingPathComponent("Sources/SparkLedgerProtobuf/Generated/execution_event.pb.swift")

    static func sha256(_ data: some Sequence<UInt8>) -> String {
        SHA256.hex(SHA256.hash(Array(data)))
    }

    /// The generated file's first line names the sha256 of the schema it came from and of the code
    /// protoc wrote; both must still hold.
    @Test func theCommittedCodeIsGeneratedFromTheCurrentSchema() throws {
        let code = try Data(contentsOf: Self.generated)
        guard let newline = code.firstIndex(of: 0x0A) else { Issue.record("generated file is empty"); return }
        let header = String(decoding: code[..<newline], as: UTF8.self)
        let body = code[(newline + 1)...]
        let schema = Self.sha256(try Data(contentsOf: Self.proto))
        #expect(header.contains("schema sha256 \(schema);"),
                "schemas/execution_event.proto changed since the code was generated: run script/generate-protobuf and commit the result")
        #expect(header.contains("code sha256 \(Self.sha256(body)).") ,
                "the generated code was edited by hand: run script/generate-protobuf instead")
    }

    /// Fields of each message in the .proto, in order.
    static func messageFields() throws -> [String: [String]] {
        let text = try String(contentsOf: proto, encoding: .utf8)
        var fields: [String: [String]] = [:]
        var stack: [String] = []
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("//") || line.isEmpty { continue }
            let words = line.split(separator: " ").map(String.init)
            if words.first == "message" || words.first == "enum" {
                stack.append(words[0] == "message" ? words[1] : "enum")
            } else if line == "}" {
                stack.removeLast()
            } else if !stack.isEmpty, !stack.contains("enum"), let equals = words.firstIndex(of: "=") {
                fields[stack.joined(separator: "."), default: []].append(words[equals - 1])
            }
        }
        return fields
    }

    @Test func theSchemaNamesTheContractsFields() throws {
        let fields = try Self.messageFields()
        #expect(fields["ExecutionEvent"] == EventValidator.envelopeFieldNames)
        #expect(fields["SubmitPayload"] == SubmitPayload.fieldNames)
        #expect(fields["RunningPayload"] == RunningPayload.fieldNames)
        #expect(fields["StatePayload"] == StatePayload.fieldNames)
        #expect(fields["MetricsSummaryPayload"] == MetricsSummary.Field.allCases.map(\.rawValue))
        #expect(fields["CancelPayload"] == CancelPayload.fieldNames)
        #expect(fields["TerminalPayload"] == TerminalPayload.fieldNames)
        #expect(fields["Resources"] == ["driver", "executor", "dynamic_allocation"])
        #expect(fields["Resources.Driver"] == ["cores", "memory_mb"])
        #expect(fields["Resources.Executor"] == ["instances", "cores", "memory_mb"])
        #expect(fields["Resources.DynamicAllocation"] == ["enabled", "min_executors", "max_executors", "initial_executors"])
    }
}
