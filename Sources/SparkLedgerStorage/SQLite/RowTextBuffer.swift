import SparkLedgerCore

/// The text parameters of one row, copied into one reusable buffer and bound from it without
/// SQLite copying them again: a copying bind allocates a buffer in SQLite for each value and
/// frees it at the next bind, twenty times for a snapshot row. The row's statement must run
/// before the buffer is reset for the next row. A value that does not fit in what is left is
/// bound the copying way. The bindings a row leaves behind point into the buffer; no later use
/// reads them, since `RawStatement` clears a statement's bindings whenever it takes it up.
final class RowTextBuffer {
    private let storage: UnsafeMutableBufferPointer<UInt8>
    private var used = 0

    init(capacity: Int = 64 * 1024) {
        storage = .allocate(capacity: capacity)
    }

    deinit {
        storage.deallocate()
    }

    /// Starts a new row: the previous row's statement has run.
    func reset() {
        used = 0
    }

    /// Binds `value` (NULL when nil) to parameter `index` of `statement`.
    func bind(_ index: Int32, _ value: String?, to statement: RawStatement) {
        guard let value else {
            statement.bind(index, nil as String?)
            return
        }
        value.withBorrowedUTF8 { utf8 in
            guard utf8.count <= storage.count - used, let source = utf8.baseAddress else {
                statement.bindCopied(index, utf8)
                return
            }
            let target = storage.baseAddress.unsafelyUnwrapped + used
            target.initialize(from: source, count: utf8.count)
            used += utf8.count
            statement.bindBorrowed(index, UnsafeBufferPointer(start: target, count: utf8.count))
        }
    }
}
