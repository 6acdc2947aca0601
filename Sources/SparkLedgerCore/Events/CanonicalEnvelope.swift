extension ExecutionEvent {
    /// The whole envelope as one line of canonical JSON (keys sorted by UTF-8 bytes, no
    /// whitespace): what `export` writes and what a re-ingest reads back to the same event.
    public func canonicalEnvelope() -> [UInt8] {
        var members: [(key: String, json: [UInt8])] = [
            ("event_id", Self.jsonString(eventID)),
            ("execution_id", Self.jsonString(executionID)),
            ("event_type", Self.jsonString(type.rawValue)),
            ("timestamp", Self.jsonInteger(timestamp)),
            ("source", Self.jsonString(source.rawValue)),
            ("schema_version", Self.jsonInteger(Int64(schemaVersion))),
            ("payload", Array(canonicalPayload.utf8)),
        ]
        if let canonicalExtensions, case .object(let extensions)? = try? JSONParser.parse(canonicalExtensions) {
            for member in extensions.members {
                members.append((member.key, JSONWriter.bytes(member.value)))
            }
        }
        members.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        var output: [UInt8] = [UInt8(ascii: "{")]
        output.reserveCapacity(canonicalPayload.utf8.count + 200)
        for (index, member) in members.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            JSONWriter.writeString(member.key, into: &output)
            output.append(UInt8(ascii: ":"))
            output.append(contentsOf: member.json)
        }
        output.append(UInt8(ascii: "}"))
        return output
    }

    private static func jsonString(_ string: String) -> [UInt8] {
        var output: [UInt8] = []
        JSONWriter.writeString(string, into: &output)
        return output
    }

    private static func jsonInteger(_ number: Int64) -> [UInt8] {
        var output: [UInt8] = []
        JSONWriter.writeInteger(number, into: &output)
        return output
    }
}
