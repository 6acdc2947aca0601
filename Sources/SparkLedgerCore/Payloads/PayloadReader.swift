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

/// Reads typed fields from a JSON object, naming the field and the value on every failure.
/// A member that is present with `null` counts as absent for optional fields.
public struct PayloadReader {
    public let object: JSONObject
    public let path: String

    public init(_ object: JSONObject, path: String = "") {
        self.object = object
        self.path = path
    }

    private func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private func present(_ key: String) -> JSONValue? {
        guard let value = object[key], !value.isNull else { return nil }
        return value
    }

    public func requiredString(_ key: String, nonEmpty: Bool = true) throws(FieldError) -> String {
        guard let value = present(key) else {
            throw FieldError(field: name(key), expected: nonEmpty ? "a non-empty string" : "a string", found: nil)
        }
        return try string(value, key: key, nonEmpty: nonEmpty)
    }

    public func optionalString(_ key: String) throws(FieldError) -> String? {
        guard let value = present(key) else { return nil }
        return try string(value, key: key, nonEmpty: false)
    }

    private func string(_ value: JSONValue, key: String, nonEmpty: Bool) throws(FieldError) -> String {
        guard case .string(let string) = value, !(nonEmpty && string.isEmpty) else {
            throw FieldError(field: name(key), expected: nonEmpty ? "a non-empty string" : "a string", found: FieldError.render(value))
        }
        return string
    }

    public func optionalInteger(_ key: String, minimum: Int64? = nil) throws(FieldError) -> Int64? {
        guard let value = present(key) else { return nil }
        guard case .int(let number) = value, number >= (minimum ?? .min) else {
            let expected = minimum.map { "an integer ≥ \($0)" } ?? "an integer"
            throw FieldError(field: name(key), expected: expected, found: FieldError.render(value))
        }
        return number
    }

    public func optionalNumber(_ key: String, minimum: Double, maximum: Double? = nil) throws(FieldError) -> Double? {
        guard let value = present(key) else { return nil }
        guard let number = value.numberValue, number >= minimum, number <= (maximum ?? .infinity) else {
            let expected = maximum.map { "a number from \(Self.format(minimum)) to \(Self.format($0))" }
                ?? "a number ≥ \(Self.format(minimum))"
            throw FieldError(field: name(key), expected: expected, found: FieldError.render(value))
        }
        return number
    }

    public func optionalBool(_ key: String) throws(FieldError) -> Bool? {
        guard let value = present(key) else { return nil }
        guard case .bool(let flag) = value else {
            throw FieldError(field: name(key), expected: "a boolean", found: FieldError.render(value))
        }
        return flag
    }

    public func optionalEnum<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type) throws(FieldError) -> E? where E.RawValue == String {
        guard let value = present(key) else { return nil }
        return try enumValue(value, key: key, type)
    }

    public func requiredEnum<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type) throws(FieldError) -> E where E.RawValue == String {
        guard let value = present(key) else {
            throw FieldError(field: name(key), expected: Self.oneOf(type), found: nil)
        }
        return try enumValue(value, key: key, type)
    }

    private func enumValue<E: RawRepresentable & CaseIterable>(_ value: JSONValue, key: String, _ type: E.Type) throws(FieldError) -> E where E.RawValue == String {
        guard case .string(let raw) = value, let parsed = E(rawValue: raw) else {
            throw FieldError(field: name(key), expected: Self.oneOf(type), found: FieldError.render(value))
        }
        return parsed
    }

    /// A nested object, or nil when absent.
    public func optionalObject(_ key: String) throws(FieldError) -> PayloadReader? {
        guard let value = present(key) else { return nil }
        guard case .object(let nested) = value else {
            throw FieldError(field: name(key), expected: "an object", found: FieldError.render(value))
        }
        return PayloadReader(nested, path: name(key))
    }

    /// An object whose values are all strings, in document order.
    public func optionalStringMap(_ key: String) throws(FieldError) -> [(key: String, value: String)]? {
        guard let nested = try optionalObject(key) else { return nil }
        var pairs: [(key: String, value: String)] = []
        pairs.reserveCapacity(nested.object.members.count)
        for member in nested.object.members {
            guard case .string(let string) = member.value else {
                throw FieldError(field: nested.name(member.key), expected: "a string", found: FieldError.render(member.value))
            }
            pairs.append((member.key, string))
        }
        return pairs
    }

    private static func oneOf<E: RawRepresentable & CaseIterable>(_ type: E.Type) -> String where E.RawValue == String {
        "one of " + E.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
    }

    private static func format(_ number: Double) -> String {
        if let exact = Int64(exactly: number) { return String(exact) }
        return String(number)
    }
}
