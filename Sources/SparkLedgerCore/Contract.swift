/// Limits and constants of the execution-event contract (contract §2).
public enum Contract {
    /// The highest `schema_version` this build understands.
    public static let supportedSchemaVersion = 1
    /// A whole envelope is at most 1 MiB.
    public static let maximumEnvelopeBytes = 1 << 20
    /// 2000-01-01T00:00:00Z in epoch milliseconds: the earliest valid event time.
    public static let earliestTimestamp: Int64 = 946_684_800_000
    /// Event time may run at most 24 h ahead of ingest time (clock skew between producers).
    public static let futureTolerance: Int64 = 86_400_000
    /// Identifiers are 1–128 characters.
    public static let maximumIdentifierLength = 128
    /// The default Kafka topic.
    public static let defaultTopic = "sk8.execution-events"

    /// `execution_id` characters: `[A-Za-z0-9._:-]`.
    public static func isExecutionIDCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    public static func isValidExecutionID(_ id: String) -> Bool {
        id.withBorrowedUTF8(isValidExecutionID)
    }

    /// Reads the bytes in place: `allSatisfy` over a String's UTF-8 view took ~40 instructions
    /// a byte (callgrind), and every event's id passes here on the validating thread.
    public static func isValidExecutionID(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress, !bytes.isEmpty, bytes.count <= maximumIdentifierLength else { return false }
        var index = 0
        while index < bytes.count {
            if !isExecutionIDCharacter(base[index]) { return false }
            index += 1
        }
        return true
    }
}
