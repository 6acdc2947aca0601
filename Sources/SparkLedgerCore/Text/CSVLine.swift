/// RFC 4180 lines: fields with a comma, quote or line break are quoted, quotes doubled.
public enum CSVLine {
    public static func line(_ fields: [String]) -> String {
        fields.map(escape).joined(separator: ",")
    }

    public static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        var quoted = "\""
        for character in field {
            if character == "\"" { quoted += "\"" }
            quoted.append(character)
        }
        return quoted + "\""
    }

    /// A JSON value as a CSV field: null empty, strings bare, objects and arrays as compact JSON.
    public static func field(_ value: JSONValue) -> String {
        switch value {
        case .null: return ""
        case .string(let string): return string
        case .bool(let flag): return flag ? "true" : "false"
        default: return JSONWriter.string(value, keyOrder: .documentOrder)
        }
    }
}
