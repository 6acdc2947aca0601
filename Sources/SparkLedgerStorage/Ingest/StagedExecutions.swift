/// The executions a write session has staged, by execution_id: open addressing with linear
/// probing on the id's 64-bit hash, which the validating thread computed (`ValidatedInput`), so
/// the writer's look-up for every event neither hashes the id again nor follows a `Dictionary`
/// bucket to the key's storage before it knows it may match. A slot holds the hash beside the
/// entry; ids are compared only when hashes are equal.
struct StagedExecutions {
    private struct Slot {
        var hash: Int64
        var execution: WriteSession.StagedExecution?
    }

    private var slots: [Slot]
    private var shift: Int
    private(set) var count = 0

    /// Room for `expected` executions before the table first grows.
    init(expected: Int = 0) {
        var bits = 4
        while (1 << bits) < expected * 2 { bits += 1 }
        slots = Array(repeating: Slot(hash: 0, execution: nil), count: 1 << bits)
        shift = 64 - bits
    }

    /// The slot a hash starts probing at: its bits mixed (FNV-1a's low bits depend on the last
    /// bytes alone), then the top ones taken.
    private func start(_ hash: Int64) -> Int {
        Int(truncatingIfNeeded: (UInt64(bitPattern: hash) &* 0x9E37_79B9_7F4A_7C15) >> UInt64(shift))
    }

    subscript(executionID: String, hash hash: Int64) -> WriteSession.StagedExecution? {
        find(hash) { $0.executionID == executionID }
    }

    /// The execution of `input`, its id read where it is (`WriteSession.stagedExecution(of:)`).
    subscript(input: ValidatedInput, hash hash: Int64) -> WriteSession.StagedExecution? {
        find(hash) { $0.executionID == input.executionID }
    }

    @inline(__always)
    private func find(_ hash: Int64, _ matches: (WriteSession.StagedExecution) -> Bool) -> WriteSession.StagedExecution? {
        let mask = slots.count - 1
        var slot = start(hash)
        while let execution = slots[slot].execution {
            if slots[slot].hash == hash && matches(execution) { return execution }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// Adds an execution that is not in the table yet.
    mutating func insert(_ execution: WriteSession.StagedExecution) {
        if (count + 1) * 2 > slots.count { grow() }
        place(execution)
        count += 1
    }

    private mutating func place(_ execution: WriteSession.StagedExecution) {
        let mask = slots.count - 1
        var slot = start(execution.executionIDHash)
        while slots[slot].execution != nil { slot = (slot + 1) & mask }
        slots[slot] = Slot(hash: execution.executionIDHash, execution: execution)
    }

    private mutating func grow() {
        var larger = StagedExecutions(expected: slots.count)
        for slot in slots {
            if let execution = slot.execution { larger.place(execution) }
        }
        larger.count = count
        self = larger
    }
}
