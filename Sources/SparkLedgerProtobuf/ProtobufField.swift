import SparkLedgerCore
import SwiftProtobuf

/// One field of a protobuf message and the JSON member it stands for: how to read it into the
/// contract's JSON (nil when the field is absent) and how to set it from JSON (false when the
/// value has no exact protobuf form, e.g. a fractional count or a string timestamp).
struct ProtobufField<Message>: Sendable {
    let name: String
    let read: @Sendable (Message) -> JSONValue?
    let write: @Sendable (inout Message, JSONValue) -> Bool

    /// A scalar with presence: `json` turns its value into JSON, `exact` JSON back into a value
    /// (nil when the JSON value has no exact form of this type).
    static func scalar<Value>(_ name: String, _ value: WritableKeyPath<Message, Value> & Sendable,
                              present: KeyPath<Message, Bool> & Sendable,
                              json: @escaping @Sendable (Value) -> JSONValue,
                              exact: @escaping @Sendable (JSONValue) -> Value?) -> Self {
        Self(name: name,
             read: { $0[keyPath: present] ? json($0[keyPath: value]) : nil },
             write: { message, jsonValue in
                 guard let converted = exact(jsonValue) else { return false }
                 message[keyPath: value] = converted
                 return true
             })
    }

    static func int64(_ name: String, _ value: WritableKeyPath<Message, Int64> & Sendable, present: KeyPath<Message, Bool> & Sendable) -> Self {
        scalar(name, value, present: present, json: { .int($0) }, exact: { if case .int(let number) = $0 { number } else { nil } })
    }

    static func double(_ name: String, _ value: WritableKeyPath<Message, Double> & Sendable, present: KeyPath<Message, Bool> & Sendable) -> Self {
        scalar(name, value, present: present, json: { .number($0) }, exact: { json in
            switch json {
            case .int(let number): Double(exactly: number)
            case .double(let number): number
            default: nil
            }
        })
    }

    static func string(_ name: String, _ value: WritableKeyPath<Message, String> & Sendable, present: KeyPath<Message, Bool> & Sendable) -> Self {
        scalar(name, value, present: present, json: { .string($0) }, exact: { $0.stringValue })
    }

    static func bool(_ name: String, _ value: WritableKeyPath<Message, Bool> & Sendable, present: KeyPath<Message, Bool> & Sendable) -> Self {
        scalar(name, value, present: present, json: { .bool($0) }, exact: { if case .bool(let flag) = $0 { flag } else { nil } })
    }

    /// A closed enum whose zero value means absent. A value this build does not know reads as
    /// its number in a string, which validation then rejects by name.
    static func enumeration<E: SwiftProtobuf.Enum>(_ name: String, _ value: WritableKeyPath<Message, E> & Sendable & Sendable,
                                                   names: [(E, String)]) -> Self {
        Self(name: name,
             read: { message in
                 let field = message[keyPath: value]
                 guard field.rawValue != 0 else { return nil }
                 return .string(names.first { $0.0 == field }?.1 ?? String(field.rawValue))
             },
             write: { message, json in
                 guard case .string(let text) = json, let known = names.first(where: { $0.1 == text }) else { return false }
                 message[keyPath: value] = known.0
                 return true
             })
    }

    /// A nested message, as a JSON object.
    static func message<Nested: SwiftProtobuf.Message>(_ name: String, _ value: WritableKeyPath<Message, Nested> & Sendable & Sendable,
                                                       present: KeyPath<Message, Bool> & Sendable,
                                                       fields: [ProtobufField<Nested>]) -> Self {
        Self(name: name,
             read: { $0[keyPath: present] ? .object(ProtobufFields.object($0[keyPath: value], fields)) : nil },
             write: { message, json in
                 guard case .object(let object) = json, let nested: Nested = ProtobufFields.message(object, fields) else { return false }
                 message[keyPath: value] = nested
                 return true
             })
    }

    /// A string → string map; an empty map is absent (protobuf cannot tell them apart).
    static func stringMap(_ name: String, _ value: WritableKeyPath<Message, [String: String]> & Sendable) -> Self {
        Self(name: name,
             read: { message in
                 let map = message[keyPath: value]
                 guard !map.isEmpty else { return nil }
                 return .object(JSONObject(map.sorted { $0.key < $1.key }.map { JSONObject.Member($0.key, .string($0.value)) }))
             },
             write: { message, json in
                 guard case .object(let object) = json, !object.isEmpty else { return false }
                 var map: [String: String] = [:]
                 for member in object.members {
                     guard case .string(let text) = member.value, map[member.key] == nil else { return false }
                     map[member.key] = text
                 }
                 message[keyPath: value] = map
                 return true
             })
    }
}

enum ProtobufFields {
    /// The JSON object of a message: its present fields.
    static func object<Message>(_ message: Message, _ fields: [ProtobufField<Message>]) -> JSONObject {
        JSONObject(fields.compactMap { field in field.read(message).map { JSONObject.Member(field.name, $0) } })
    }

    /// The message of a JSON object, or nil when a member is unknown or has no exact protobuf form.
    static func message<Message: SwiftProtobuf.Message>(_ object: JSONObject, _ fields: [ProtobufField<Message>]) -> Message? {
        var message = Message()
        for member in object.members {
            guard let field = fields.first(where: { $0.name == member.key }), field.write(&message, member.value) else { return nil }
        }
        return message
    }
}
