/// Byte arrays of written log rows, emptied, for the next executions' rows (`EventGroup.Pending`).
///
/// Each staged execution built its row in a new array, grown from 1 KB by doubling, and freed it
/// once written: ~9,000 of a 300,000-line ingest's minor page faults on the writer were those
/// arrays' new memory (`perf record -e page-faults`). The writer's state keeps the pool from one
/// transaction to the next. Bounded: at most `maximumCount` arrays, none over `maximumCapacity`.
struct LogBufferPool {
    static let maximumCount = 4_096
    static let maximumCapacity = 64 << 10

    private var buffers: [[UInt8]] = []

    var count: Int { buffers.count }

    mutating func take() -> [UInt8]? {
        buffers.popLast()
    }

    /// Keeps an emptied array, unless the pool is full or the array too large to be worth keeping.
    mutating func give(_ buffer: [UInt8]) {
        guard buffer.isEmpty, buffer.capacity > 0, buffer.capacity <= Self.maximumCapacity, buffers.count < Self.maximumCount else { return }
        buffers.append(buffer)
    }
}
