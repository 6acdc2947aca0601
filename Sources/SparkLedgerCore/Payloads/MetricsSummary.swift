/// METRICS_SUMMARY: cumulative totals for an execution so far. A later summary replaces an earlier
/// one; they are never added together. Every field is optional and ≥ 0.
public struct MetricsSummary: Sendable, Equatable {
    /// How a field is typed. Counts, bytes and milliseconds are whole numbers; seconds and
    /// megabytes of memory may be fractional; `spot_fraction` is a share from 0 to 1.
    public enum Kind: Sendable {
        case count
        case quantity
        case fraction
    }

    public enum Field: String, CaseIterable, Sendable {
        case executorsPeak = "executors_peak"
        case executorsAdded = "executors_added"
        case executorsRemoved = "executors_removed"
        case executorCoreSeconds = "executor_core_seconds"
        case executorMemoryMBSeconds = "executor_memory_mb_seconds"
        case driverCoreSeconds = "driver_core_seconds"
        case driverMemoryMBSeconds = "driver_memory_mb_seconds"
        case spotFraction = "spot_fraction"
        case tasks
        case failedTasks = "failed_tasks"
        case stages
        case failedStages = "failed_stages"
        case shuffleReadBytes = "shuffle_read_bytes"
        case shuffleWriteBytes = "shuffle_write_bytes"
        case shuffleReadRecords = "shuffle_read_records"
        case shuffleWriteRecords = "shuffle_write_records"
        case shuffleFetchFailures = "shuffle_fetch_failures"
        case shuffleFetchWaitMs = "shuffle_fetch_wait_ms"
        case memorySpillBytes = "memory_spill_bytes"
        case diskSpillBytes = "disk_spill_bytes"
        case inputBytes = "input_bytes"
        case outputBytes = "output_bytes"
        case executorRunTimeMs = "executor_run_time_ms"
        case executorCPUTimeMs = "executor_cpu_time_ms"
        case peakExecutorMemoryMB = "peak_executor_memory_mb"
        case peakDriverMemoryMB = "peak_driver_memory_mb"

        /// Position in the summary's storage.
        var index: Int {
            switch self {
            case .executorsPeak: return 0
            case .executorsAdded: return 1
            case .executorsRemoved: return 2
            case .executorCoreSeconds: return 3
            case .executorMemoryMBSeconds: return 4
            case .driverCoreSeconds: return 5
            case .driverMemoryMBSeconds: return 6
            case .spotFraction: return 7
            case .tasks: return 8
            case .failedTasks: return 9
            case .stages: return 10
            case .failedStages: return 11
            case .shuffleReadBytes: return 12
            case .shuffleWriteBytes: return 13
            case .shuffleReadRecords: return 14
            case .shuffleWriteRecords: return 15
            case .shuffleFetchFailures: return 16
            case .shuffleFetchWaitMs: return 17
            case .memorySpillBytes: return 18
            case .diskSpillBytes: return 19
            case .inputBytes: return 20
            case .outputBytes: return 21
            case .executorRunTimeMs: return 22
            case .executorCPUTimeMs: return 23
            case .peakExecutorMemoryMB: return 24
            case .peakDriverMemoryMB: return 25
            }
        }

        public var kind: Kind {
            switch self {
            case .executorCoreSeconds, .executorMemoryMBSeconds, .driverCoreSeconds, .driverMemoryMBSeconds,
                 .peakExecutorMemoryMB, .peakDriverMemoryMB:
                return .quantity
            case .spotFraction:
                return .fraction
            default:
                return .count
            }
        }
    }

    /// Each present field's value: an `Int64` bit pattern for counts, a `Double` one otherwise.
    /// Inline storage: a summary costs no allocation of its own.
    private var values = InlineArray<26, UInt64>(repeating: 0)
    /// Bit `field.index` is set when the field is present.
    private var present: UInt32 = 0

    public init() {}

    /// Reads the fields in one pass over the members; unknown members are ignored.
    public init(_ reader: PayloadReader) throws(FieldError) {
        // A producer writes the fields in one order, usually the contract's, and a stored payload
        // is canonical, its keys in name order: the field after the last one found in each order
        // is tried first (its name a static string: no String made), and the table (a String
        // and its hash) only when both miss. Stored summaries missed the contract's order every
        // time: ~18,700 instructions a summary in replay, ~6,400 now.
        var expected = 0
        var expectedByName = 0
        let tape = reader.tape
        for member in tape.members(of: reader.object) {
            let guess = Self.fieldsByIndex[expected]
            let nameGuess = Self.fieldsInNameOrder[expectedByName]
            let known = tape.string(at: member.key, equals: Self.names[guess.index]) ? guess
                : tape.string(at: member.key, equals: Self.names[nameGuess.index]) ? nameGuess
                : Self.fieldsByName[tape.string(at: member.key)]
            guard let field = known else { continue }
            expected = field.index + 1 == Self.fieldsByIndex.count ? 0 : field.index + 1
            let namePosition = Self.namePositions[field.index] + 1
            expectedByName = namePosition == Self.fieldsInNameOrder.count ? 0 : namePosition
            let value = member.value
            guard !tape.isNull(at: value) else { continue }
            switch field.kind {
            case .count:
                guard tape.kind(at: value) == .int, tape.int(at: value) >= 0 else {
                    throw FieldError(field: "\(reader.path).\(field.rawValue)", expected: "an integer ≥ 0", found: reader.render(value))
                }
                values[field.index] = UInt64(bitPattern: tape.int(at: value))
            case .quantity, .fraction:
                let maximum = field.kind == .fraction ? 1.0 : Double.infinity
                guard let number = tape.number(at: value), number >= 0, number <= maximum else {
                    let expected = field.kind == .fraction ? "a number from 0 to 1" : "a number ≥ 0"
                    throw FieldError(field: "\(reader.path).\(field.rawValue)", expected: expected, found: reader.render(value))
                }
                values[field.index] = number.bitPattern
            }
            present |= 1 << UInt32(field.index)
        }
    }

    private static let fieldsByName: [String: Field] = Dictionary(uniqueKeysWithValues: Field.allCases.map { ($0.rawValue, $0) })
    private static let fieldsByIndex: [Field] = Field.allCases.sorted { $0.index < $1.index }
    /// Each field's name by `index` (`MetricsSummaryNamesTests` checks them against the raw values).
    /// A second copy of the names, kept because a static string compares without a String: the
    /// raw values made once as Strings took replay's summaries 195 M → 300 M instructions.
    static let names: [StaticString] = [
        "executors_peak", "executors_added", "executors_removed", "executor_core_seconds", "executor_memory_mb_seconds",
        "driver_core_seconds", "driver_memory_mb_seconds", "spot_fraction", "tasks", "failed_tasks", "stages", "failed_stages",
        "shuffle_read_bytes", "shuffle_write_bytes", "shuffle_read_records", "shuffle_write_records", "shuffle_fetch_failures",
        "shuffle_fetch_wait_ms", "memory_spill_bytes", "disk_spill_bytes", "input_bytes", "output_bytes", "executor_run_time_ms",
        "executor_cpu_time_ms", "peak_executor_memory_mb", "peak_driver_memory_mb",
    ]
    /// The fields in canonical JSON's key order (their names' UTF-8 bytes), and each field's
    /// place in it by `index`.
    private static let fieldsInNameOrder: [Field] = Field.allCases.sorted { UTF8Order.precedes($0.rawValue, $1.rawValue) }
    private static let namePositions: [Int] = fieldsByIndex.map { field in fieldsInNameOrder.firstIndex(of: field) ?? 0 }

    private func has(_ field: Field) -> Bool { present & (1 << UInt32(field.index)) != 0 }

    /// A whole-number field (`kind == .count`).
    public func count(_ field: Field) -> Int64? {
        guard has(field), field.kind == .count else { return nil }
        return Int64(bitPattern: values[field.index])
    }

    /// Any field as a number.
    public func value(_ field: Field) -> Double? {
        guard has(field) else { return nil }
        let raw = values[field.index]
        return field.kind == .count ? Double(Int64(bitPattern: raw)) : Double(bitPattern: raw)
    }

    public mutating func set(_ field: Field, _ value: Double?) {
        guard let value else {
            present &= ~(1 << UInt32(field.index))
            return
        }
        values[field.index] = field.kind == .count ? UInt64(bitPattern: Int64(value)) : value.bitPattern
        present |= 1 << UInt32(field.index)
    }

    public static func == (lhs: MetricsSummary, rhs: MetricsSummary) -> Bool {
        guard lhs.present == rhs.present else { return false }
        for field in Field.allCases where lhs.has(field) && lhs.values[field.index] != rhs.values[field.index] {
            return false
        }
        return true
    }

    public var executorCoreSeconds: Double { value(.executorCoreSeconds) ?? 0 }
    public var executorMemoryMBSeconds: Double { value(.executorMemoryMBSeconds) ?? 0 }
    public var driverCoreSeconds: Double { value(.driverCoreSeconds) ?? 0 }
    public var driverMemoryMBSeconds: Double { value(.driverMemoryMBSeconds) ?? 0 }
    /// Share of executor time on spot capacity; 0 when absent.
    public var spotFraction: Double { value(.spotFraction) ?? 0 }
}
