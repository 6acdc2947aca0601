/// A JSON value as the contract sees it: two documents that differ only in key order, whitespace
/// or the spelling of a number (`1`, `1.0`, `1e0`) are the same value and compare equal.
///
/// Numbers that are integral and fit in `Int64` are always `.int`; every other number is `.double`.
/// The parser and the writer keep that rule, so equality of values is equality of canonical text.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// Normalises a number to the representation rule above.
    public static func number(_ value: Double) -> JSONValue {
        if let exact = Int64(exactly: value) { return .int(exact) }
        return .double(value)
    }

    /// `== .null` without building a value to compare with (the readers ask it of every field).
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    public var objectValue: JSONObject? {
        if case .object(let object) = self { return object }
        return nil
    }

    public var stringValue: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    /// The numeric value of `.int` or `.double`.
    public var numberValue: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    /// A name for the kind of value, for error messages ("expected an integer, got a string").
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int: return "an integer"
        case .double: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// An object with its members in document order. Lookups are linear: event objects are small.
public struct JSONObject: Sendable, Equatable {
    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: JSONValue

        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    public var members: [Member]

    public init(_ members: [Member] = []) {
        self.members = members
    }

    public init(_ pairs: KeyValuePairs<String, JSONValue>) {
        self.members = pairs.map { Member($0.key, $0.value) }
    }

    public subscript(key: String) -> JSONValue? {
        for member in members where member.key.equalsByLengthFirst(key) {
            return member.value
        }
        return nil
    }

    public var keys: [String] { members.map(\.key) }
    public var isEmpty: Bool { members.isEmpty }

    /// Equality of values: member order does not matter.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        for member in lhs.members {
            guard let other = rhs[member.key], other == member.value else { return false }
        }
        return true
    }

    /// Appends or replaces a member.
    public mutating func set(_ key: String, _ value: JSONValue) {
        if let index = members.firstIndex(where: { $0.key == key }) {
            members[index].value = value
        } else {
            members.append(Member(key, value))
        }
    }
}
