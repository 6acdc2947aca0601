import SparkLedgerCore

/// Makes bad records from a good envelope, one kind per rejection reason, in rotation.
struct InvalidRecordFactory {
    private var next = 0

    mutating func make(from envelope: JSONObject, random: inout RandomSource) -> ([UInt8], RejectionReason) {
        defer { next += 1 }
        var bad = envelope
        bad.set("event_id", .string(random.uuid()))
        func text(_ object: JSONObject) -> [UInt8] { JSONWriter.bytes(.object(object), keyOrder: .documentOrder) }
        switch next % 9 {
        case 0:
            let whole = text(bad)
            return (Array(whole.prefix(whole.count / 2)), .malformed)
        case 1:
            return (Array("[\"not\", \"an\", \"object\"]".utf8), .malformed)
        case 2:
            bad.set("execution_id", .string("bad id with spaces"))
            return (text(bad), .invalidEnvelope)
        case 3:
            bad.set("timestamp", .string("2026-10-01T00:00:00Z"))
            return (text(bad), .invalidEnvelope)
        case 4:
            bad.set("schema_version", .int(2))
            return (text(bad), .unsupportedSchemaVersion)
        case 5:
            bad.set("event_type", .string("RESTARTED"))
            return (text(bad), .unknownEventType)
        case 6:
            bad.set("timestamp", .int(631_152_000_000))  // 1990
            return (text(bad), .invalidTimestamp)
        case 7:
            bad.set("event_type", .string("TERMINAL"))
            bad.set("payload", .object(JSONObject([.init("final_state", .string("DONE"))])))
            return (text(bad), .invalidPayload)
        default:
            // Same event_id as the real event, different content.
            var conflicting = envelope
            if case .int(let time)? = envelope["timestamp"] { conflicting.set("timestamp", .int(time + 1)) }
            return (text(conflicting), .conflictingDuplicate)
        }
    }
}
