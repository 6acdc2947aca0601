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

    /// `execution_id` characters: `[A-Za-z0-9._:-]`. One bit per ASCII byte, in two words: a
    /// test is a shift, where a chain of range comparisons took ~12 instructions a byte.
    @inline(__always)
    public static func isExecutionIDCharacter(_ byte: UInt8) -> Bool {
        if byte < 64 { return (executionIDBytesBelow64 >> UInt64(byte)) & 1 != 0 }
        if byte < 128 { return (executionIDBytesFrom64 >> UInt64(byte - 64)) & 1 != 0 }
        return false
    }

    /// `- . 0-9 :`
    private static let executionIDBytesBelow64: UInt64 = 0x07FF600000000000
    /// `A-Z _ a-z`
    private static let executionIDBytesFrom64: UInt64 = 0x07FFFFFE87FFFFFE

    public static func isValidExecutionID(_ id: String) -> Bool {
        id.withBorrowedUTF8(isValidExecutionID)
    }

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
