import Foundation
import SparkLedgerCore
import Testing

/// schemas/*.schema.json say what the code accepts: names, required fields, enums, types, bounds.
/// A schema that drifts from the code (or the code from the schema) fails here.
@Suite struct JSONSchemaMatchesCodeTests {
    static let schemaDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("schemas")

    static func load(_ name: String) throws -> JSONObject {
        let data = try Data(contentsOf: schemaDirectory.appendingPathComponent(name))
        guard case .object(let object) = try JSONParser.parse(Array(data)) else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return object
    }

    static let payloadFiles: [EventType: String] = [
        .submit: "payload-submit.schema.json", .running: "payload-running.schema.json",
        .state: "payload-state.schema.json", .metricsSummary: "payload-metrics-summary.schema.json",
        .cancel: "payload-cancel.schema.json", .terminal: "payload-terminal.schema.json",
    ]

    private func properties(_ schema: JSONObject) -> JSONObject {
        schema["properties"]?.objectValue ?? JSONObject()
    }

    private func strings(_ value: JSONValue?) -> [String] {
        guard case .array(let items)? = value else { return [] }
        return items.compactMap(\.stringValue)
    }

    /// The non-null types a property allows.
    private func types(_ property: JSONValue?) -> Set<String> {
        switch property?.objectValue?["type"] {
        case .string(let type)?: return [type]
        case .array(let items)?: return Set(items.compactMap(\.stringValue)).subtracting(["null"])
        default: return []
        }
    }

    /// Every property name and every enumerated string of the schemas, at any depth.
    private func namesAndEnumeratedValues(_ value: JSONValue, into names: inout Set<String>, _ values: inout Set<String>) {
        switch value {
        case .object(let object):
            for member in object.members {
                if member.key == "properties", case .object(let properties) = member.value { names.formUnion(properties.keys) }
                if member.key == "enum" { values.formUnion(strings(member.value)) }
                if member.key == "const", let constant = member.value.stringValue { values.insert(constant) }
                namesAndEnumeratedValues(member.value, into: &names, &values)
            }
        case .array(let items):
            for item in items { namesAndEnumeratedValues(item, into: &names, &values) }
        default:
            break
        }
    }

    /// The parser hands out these names and values as Strings made once: every one the
    /// schemas name must be among them (one missing would only be slower), and no name that the
    /// schemas do not have.
    @Test func theParsersKnownStringsAreTheSchemasNamesAndValues() throws {
        var names: Set<String> = []
        var values: Set<String> = []
        for file in ["execution-event.schema.json"] + Self.payloadFiles.values.sorted() {
            namesAndEnumeratedValues(.object(try Self.load(file)), into: &names, &values)
        }
        #expect(Set(KnownStrings.memberNames) == names)
        #expect(values.subtracting(KnownStrings.all).isEmpty, "\(values.subtracting(KnownStrings.all).sorted())")
    }

    @Test func theEnvelopeNamesTheContractsFieldsAndBounds() throws {
        let envelope = try Self.load("execution-event.schema.json")
        #expect(envelope["$schema"]?.stringValue == "https://json-schema.org/draft/2020-12/schema")
        let fields = properties(envelope)
        #expect(Set(fields.keys) == Set(EventValidator.envelopeFieldNames))
        #expect(Set(strings(envelope["required"])) == Set(EventValidator.envelopeFieldNames))
        #expect(strings(fields["event_type"]?.objectValue?["enum"]) == EventType.allCases.map(\.rawValue))
        #expect(strings(fields["source"]?.objectValue?["enum"]) == EventSource.allCases.map(\.rawValue))
        #expect(fields["timestamp"]?.objectValue?["minimum"] == .int(Contract.earliestTimestamp))
        #expect(fields["schema_version"]?.objectValue?["maximum"] == .int(Int64(Contract.supportedSchemaVersion)))
        #expect(fields["schema_version"]?.objectValue?["minimum"] == .int(1))
        #expect(fields["event_id"]?.objectValue?["maxLength"] == .int(Int64(Contract.maximumIdentifierLength)))
        #expect(fields["execution_id"]?.objectValue?["pattern"]?.stringValue == "^[A-Za-z0-9._:-]{1,\(Contract.maximumIdentifierLength)}$")
        // Every event type routes its payload to its own schema.
        guard case .array(let branches)? = envelope["allOf"] else {
            Issue.record("no allOf")
            return
        }
        var routed: [String: String] = [:]
        for branch in branches {
            let type = branch.objectValue?["if"]?.objectValue?["properties"]?.objectValue?["event_type"]?.objectValue?["const"]?.stringValue
            let file = branch.objectValue?["then"]?.objectValue?["properties"]?.objectValue?["payload"]?.objectValue?["$ref"]?.stringValue
            if let type, let file { routed[type] = file }
        }
        #expect(routed == Dictionary(uniqueKeysWithValues: Self.payloadFiles.map { ($0.key.rawValue, $0.value) }))
    }

    @Test(arguments: EventType.allCases)
    func eachPayloadSchemaNamesTheCodesFields(type: EventType) throws {
        let schema = try Self.load(Self.payloadFiles[type] ?? "")
        #expect(Set(properties(schema).keys) == Set(EventPayload.fieldNames(of: type)), "\(type)")
        #expect(Set(strings(schema["required"])) == Set(EventPayload.requiredFieldNames(of: type)), "\(type)")
        #expect(schema["additionalProperties"] == nil, "unknown payload members are kept, not rejected")
    }

    @Test func metricsFieldsHaveTheCodesTypesAndBounds() throws {
        let fields = properties(try Self.load("payload-metrics-summary.schema.json"))
        for field in MetricsSummary.Field.allCases {
            let property = fields[field.rawValue]?.objectValue
            #expect(property?["minimum"] == .int(0), "\(field.rawValue)")
            switch field.kind {
            case .count:
                #expect(types(fields[field.rawValue]) == ["integer"], "\(field.rawValue)")
            case .quantity:
                #expect(types(fields[field.rawValue]) == ["number"], "\(field.rawValue)")
                #expect(property?["maximum"] == nil, "\(field.rawValue)")
            case .fraction:
                #expect(types(fields[field.rawValue]) == ["number"], "\(field.rawValue)")
                #expect(property?["maximum"] == .int(1), "\(field.rawValue)")
            }
        }
    }

    @Test func enumsMatch() throws {
        let submit = properties(try Self.load("payload-submit.schema.json"))
        #expect(strings(submit["vendor"]?.objectValue?["enum"]).filter { !$0.isEmpty } == Vendor.allCases.map(\.rawValue))
        let terminal = properties(try Self.load("payload-terminal.schema.json"))
        #expect(strings(terminal["final_state"]?.objectValue?["enum"]) == FinalState.allCases.map(\.rawValue))
        #expect(strings(terminal["error_class"]?.objectValue?["enum"]) == ErrorClass.allCases.map(\.rawValue))
    }
}
