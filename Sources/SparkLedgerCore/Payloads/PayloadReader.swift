/// A field of an event that does not follow the contract: which field, what was expected, what came.
public struct FieldError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Dotted path from the envelope or payload root, e.g. `resources.executor.memory_mb`.
    public var field: String
    /// What the contract wants, e.g. "an integer ≥ 1".
    public var expected: String
    /// The offending value as compact JSON (shortened), or nil when the field is missing.
    public var found: String?

    public var description: String {
        if let found {
            return "\(field) must be \(expected), got \(found)"
        }
        return "\(field) is required (\(expected))"
    }

    /// Renders a value for an error message: compact JSON, at most 80 characters.
    public static func render(_ value: JSONValue) -> String {
        let text = JSONWriter.string(value, keyOrder: .documentOrder)
        guard text.count > 80 else { return text }
        return String(text.prefix(77)) + "…"
    }
}

/// Reads typed fields from a JSON object on a tape, naming the field and the value on every
/// failure. A member that is present with `null` counts as absent for optional fields. Only the
/// strings a caller asks for are built.
public struct PayloadReader {
    public let tape: JSONTape
    /// The object's node on the tape.
    public let object: Int
    /// The object's path: `root`, then the keys of the objects nested in it, up to three, made
    /// into a String only for an error message (a nested object's reader made its path on every
    /// event: ~700 instructions each, five a SUBMIT).
    private let root: String
    private let keys: (StaticString?, StaticString?, StaticString?)

    public init(_ tape: JSONTape, object: Int, path: String = "") {
        self.init(tape, object: object, root: path, keys: (nil, nil, nil))
    }

    private init(_ tape: JSONTape, object: Int, root: String, keys: (StaticString?, StaticString?, StaticString?)) {
        self.tape = tape
        self.object = object
        self.root = root
        self.keys = keys
    }

    /// Reads a tree (the protobuf path and tests build one).
    public init(_ object: JSONObject, path: String = "") {
        self.init(JSONTape(.object(object)), object: JSONTape.root, path: path)
    }

    /// Dotted path of the object from the payload's root, e.g. `payload.resources.driver`.
    public var path: String {
        var parts = root.isEmpty ? [] : [root]
        for key in [keys.0, keys.1, keys.2] {
            if let key { parts.append(key.description) }
        }
        return parts.joined(separator: ".")
    }

    private func name(_ key: StaticString) -> String {
        let path = self.path
        return path.isEmpty ? key.description : "\(path).\(key)"
    }

    /// The reader of the object at `node`, a member `key` of this one.
    private func nested(_ node: Int, key: StaticString) -> PayloadReader {
        switch keys {
        case (nil, _, _): PayloadReader(tape, object: node, root: root, keys: (key, nil, nil))
        case (let first, nil, _): PayloadReader(tape, object: node, root: root, keys: (first, key, nil))
        case (let first, let second, nil): PayloadReader(tape, object: node, root: root, keys: (first, second, key))
        default: PayloadReader(tape, object: node, root: path, keys: (key, nil, nil))
        }
    }

    private func present(_ key: StaticString) -> Int? {
        guard let value = tape.member(key, of: object), !tape.isNull(at: value) else { return nil }
        return value
    }

    /// A value for an error message (`FieldError.render`).
    public func render(_ node: Int) -> String { FieldError.render(tape.value(at: node)) }

    public func requiredString(_ key: StaticString, nonEmpty: Bool = true) throws(FieldError) -> String {
        guard let value = present(key) else {
            throw FieldError(field: name(key), expected: nonEmpty ? "a non-empty string" : "a string", found: nil)
        }
        return try string(value, key: key, nonEmpty: nonEmpty)
    }

    public func optionalString(_ key: StaticString) throws(FieldError) -> String? {
        guard let value = present(key) else { return nil }
        return try string(value, key: key, nonEmpty: false)
    }

    private func string(_ value: Int, key: StaticString, nonEmpty: Bool) throws(FieldError) -> String {
        guard tape.kind(at: value) == .string, !(nonEmpty && tape.stringCount(at: value) == 0) else {
            throw FieldError(field: name(key), expected: nonEmpty ? "a non-empty string" : "a string", found: render(value))
        }
        return tape.string(at: value)
    }

    public func optionalInteger(_ key: StaticString, minimum: Int64? = nil) throws(FieldError) -> Int64? {
        guard let value = present(key) else { return nil }
        guard tape.kind(at: value) == .int, tape.int(at: value) >= (minimum ?? .min) else {
            let expected = minimum.map { "an integer ≥ \($0)" } ?? "an integer"
            throw FieldError(field: name(key), expected: expected, found: render(value))
        }
        return tape.int(at: value)
    }

    public func optionalNumber(_ key: StaticString, minimum: Double, maximum: Double? = nil) throws(FieldError) -> Double? {
        guard let value = present(key) else { return nil }
        guard let number = tape.number(at: value), number >= minimum, number <= (maximum ?? .infinity) else {
            let expected = maximum.map { "a number from \(Self.format(minimum)) to \(Self.format($0))" }
                ?? "a number ≥ \(Self.format(minimum))"
            throw FieldError(field: name(key), expected: expected, found: render(value))
        }
        return number
    }

    public func optionalBool(_ key: StaticString) throws(FieldError) -> Bool? {
        guard let value = present(key) else { return nil }
        switch tape.kind(at: value) {
        case .true: return true
        case .false: return false
        default: throw FieldError(field: name(key), expected: "a boolean", found: render(value))
        }
    }

    public func optionalEnum<E: RawRepresentable & CaseIterable>(_ key: StaticString, _ type: E.Type) throws(FieldError) -> E? where E.RawValue == String {
        guard let value = present(key) else { return nil }
        return try enumValue(value, key: key, type)
    }

    public func requiredEnum<E: RawRepresentable & CaseIterable>(_ key: StaticString, _ type: E.Type) throws(FieldError) -> E where E.RawValue == String {
        guard let value = present(key) else {
            throw FieldError(field: name(key), expected: Self.oneOf(type), found: nil)
        }
        return try enumValue(value, key: key, type)
    }

    private func enumValue<E: RawRepresentable & CaseIterable>(_ value: Int, key: StaticString, _ type: E.Type) throws(FieldError) -> E where E.RawValue == String {
        guard tape.kind(at: value) == .string, let parsed = E(rawValue: tape.string(at: value)) else {
            throw FieldError(field: name(key), expected: Self.oneOf(type), found: render(value))
        }
        return parsed
    }

    /// A nested object, or nil when absent.
    public func optionalObject(_ key: StaticString) throws(FieldError) -> PayloadReader? {
        guard let value = present(key) else { return nil }
        guard tape.kind(at: value) == .object else {
            throw FieldError(field: name(key), expected: "an object", found: render(value))
        }
        return nested(value, key: key)
    }

    /// A nested object whose values are all strings, or nil when absent.
    public func optionalStringObject(_ key: StaticString) throws(FieldError) -> PayloadReader? {
        guard let nested = try optionalObject(key) else { return nil }
        for member in tape.members(of: nested.object) where tape.kind(at: member.value) != .string {
            let field = "\(nested.path).\(tape.string(at: member.key))"
            throw FieldError(field: field, expected: "a string", found: render(member.value))
        }
        return nested
    }

    /// The object's canonical JSON text, unknown members included.
    public var canonicalText: String { tape.canonicalText(at: object) }

    private static func oneOf<E: RawRepresentable & CaseIterable>(_ type: E.Type) -> String where E.RawValue == String {
        "one of " + E.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
    }

    private static func format(_ number: Double) -> String {
        if let exact = Int64(exactly: number) { return String(exact) }
        return String(number)
    }
}
