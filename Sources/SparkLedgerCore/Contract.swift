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
        executionIDBytes[Int(byte)] != 0
    }

    /// 1 for each byte an execution_id may hold, else 0: one load a byte. Made once, never
    /// freed, never written after (raw memory: a look-up checks no bounds).
    nonisolated(unsafe) private static let executionIDBytes: UnsafePointer<UInt8> = {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        table.initialize(repeating: 0, count: 256)
        for byte in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-".utf8 { table[Int(byte)] = 1 }
        return UnsafePointer(table)
    }()

    public static func isValidExecutionID(_ id: String) -> Bool {
        id.withBorrowedUTF8(isValidExecutionID)
    }

    /// Reads the bytes in place: `allSatisfy` over a String's UTF-8 view took ~40 instructions
    /// a byte (callgrind), and every event's id passes here on the validating thread.
    public static func isValidExecutionID(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress, !bytes.isEmpty, bytes.count <= maximumIdentifierLength else { return false }
        // At most 128 bytes: every one is looked up, and the answer read once at the end (a
        // `switch` of ranges a byte, leaving at the first bad one, cost ~11 instructions a byte).
        let table = executionIDBytes
        var allowed: UInt8 = 1
        for index in 0..<bytes.count { allowed &= table[Int(base[index])] }
        return allowed != 0
    }
}
