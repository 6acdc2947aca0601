/// The contract's member names and enumerated values, made into Strings once. A tape
/// (`JSONTape.string(at:)`) hands these out instead of building a String for every occurrence:
/// an event has ~14 member names and ~4 enumerated values, and building each one (checking its
/// bytes, and allocating for names longer than 15 bytes) cost ~150–300 instructions (callgrind).
/// A string that is not here is only built the ordinary way.
public enum KnownStrings {
    /// Every member name of the envelope and the payloads (schemas/*.json: a test keeps the two
    /// equal). The envelope's and the metrics summary's come from where the code names them.
    public static let memberNames: [String] = EventValidator.envelopeFieldNames + [
        // SUBMIT
        "job_path", "team", "owner", "namespace", "vendor", "vendor_run_id", "idempotency_key", "attempt",
        "parent_execution_id", "spark_version", "resources", "driver", "executor", "cores", "memory_mb", "instances",
        "dynamic_allocation", "enabled", "min_executors", "max_executors", "initial_executors", "labels",
        // RUNNING, STATE, CANCEL, TERMINAL
        "spark_ui_url", "logs_url", "operator_state", "message", "requested_by", "reason", "final_state",
        "error_class", "exit_code",
    ] + MetricsSummary.Field.allCases.map(\.rawValue)

    /// Member names and every enumerated value the contract names.
    public static let all: [String] = memberNames
        + EventType.allCases.map(\.rawValue) + EventSource.allCases.map(\.rawValue) + OperatorStateEffect.knownStates
        + FinalState.allCases.map(\.rawValue) + ErrorClass.allCases.map(\.rawValue) + Vendor.allCases.map(\.rawValue)

    static let table = KnownStringTable(all)
}

/// An open-addressed table from UTF-8 bytes to one of a fixed set of Strings. A look-up hashes
/// the length and three bytes and compares the candidates in its probe sequence: ~30
/// instructions, where building a String took ~150–300. Made once and never freed (its memory
/// is raw, so that a look-up loads no array and checks no bounds).
final class KnownStringTable: @unchecked Sendable {
    // @unchecked: immutable after init.
    /// Longer byte sequences are not looked up.
    let maximumLength: Int
    private let strings: [String]
    /// Every string's UTF-8, back to back.
    private let utf8: UnsafeMutablePointer<UInt8>
    /// Per slot: 0 when empty, else the string's UTF-8 offset << 32 | its length << 16 | its index + 1.
    private let slots: UnsafeMutablePointer<UInt64>
    private let mask: Int

    init(_ candidates: [String]) {
        var strings: [String] = []
        var seen: Set<String> = []
        for string in candidates where !string.isEmpty && string.utf8.count < 0xFFFF && seen.insert(string).inserted {
            strings.append(string)
        }
        precondition(strings.count < 0xFFFF, "too many known strings")
        self.strings = strings
        let bytes = strings.flatMap { Array($0.utf8) }
        utf8 = .allocate(capacity: max(1, bytes.count))
        utf8.initialize(from: bytes, count: bytes.count)
        maximumLength = strings.map(\.utf8.count).max() ?? 0
        var capacity = 64
        while capacity < strings.count * 4 { capacity *= 2 }
        mask = capacity - 1
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: 0, count: capacity)
        var offset = 0
        for (index, string) in strings.enumerated() {
            let length = string.utf8.count
            var slot = Self.hash(utf8 + offset, length) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = UInt64(offset) << 32 | UInt64(length) << 16 | UInt64(index + 1)
            offset += length
        }
    }

    @inline(__always)
    private static func hash(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int {
        var hash = UInt32(truncatingIfNeeded: count) &* 0x9E37_79B1
        hash = (hash ^ UInt32(bytes[0])) &* 0x85EB_CA6B
        hash = (hash ^ UInt32(bytes[count >> 1])) &* 0xC2B2_AE35
        hash = (hash ^ UInt32(bytes[count - 1])) &* 0x27D4_EB2F
        return Int(truncatingIfNeeded: hash ^ (hash >> 15))
    }

    /// How many strings the table holds (its candidates without repeats and empty strings).
    var count: Int { strings.count }

    /// The known string whose UTF-8 is these bytes, or nil.
    @inline(__always)
    func string(_ bytes: UnsafePointer<UInt8>, count: Int) -> String? {
        index(bytes, count: count).map { strings[$0] }
    }

    /// The position among the table's strings of the one whose UTF-8 is these bytes, or nil.
    @inline(__always)
    func index(_ bytes: UnsafePointer<UInt8>, count: Int) -> Int? {
        guard count > 0, count <= maximumLength else { return nil }
        var slot = Self.hash(bytes, count) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            if Int(truncatingIfNeeded: (entry >> 16) & 0xFFFF) == count, memoryEqual(utf8 + Int(truncatingIfNeeded: entry >> 32), bytes, count) {
                return Int(truncatingIfNeeded: entry & 0xFFFF) - 1
            }
            slot = (slot + 1) & mask
        }
    }
}

/// The cases of an enumeration of names, found by a name's UTF-8 bytes on a tape without building
/// a String: the validator's event_type and source (building the name and then comparing it
/// with each case's cost ~250 instructions an event; this is a hash and one comparison).
struct CaseNames<Case: CaseIterable & RawRepresentable & Sendable>: Sendable where Case.RawValue == String {
    private let cases: [Case]
    private let table: KnownStringTable

    init() {
        cases = Array(Case.allCases)
        table = KnownStringTable(cases.map(\.rawValue))
        precondition(table.count == cases.count, "\(Case.self)'s names must be distinct and non-empty")
    }

    /// The case named exactly by the `.string` node's value, or nil.
    func value(at node: Int, of tape: JSONTape) -> Case? {
        guard tape.stringCount(at: node) > 0 else { return nil }
        return tape.withStringBytes(at: node) { bytes, count in table.index(bytes, count: count) }.map { cases[$0] }
    }
}
