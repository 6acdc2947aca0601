import SparkLedgerCore

extension EventGroup {
    /// Writes an element of a log row at a pointer with room for it (`EventGroup.write` sizes the
    /// buffer), so that the element is appended to the row in one copy.
    struct ElementWriter {
        let start: UnsafeMutablePointer<UInt8>
        private(set) var count = 0

        init(_ start: UnsafeMutablePointer<UInt8>) { self.start = start }

        mutating func put(_ byte: UInt8) {
            start[count] = byte
            count += 1
        }

        mutating func copy(_ bytes: UnsafeBufferPointer<UInt8>) {
            guard let base = bytes.baseAddress else { return }
            (start + count).update(from: base, count: bytes.count)
            count += bytes.count
        }

        mutating func copy(_ text: StaticString) {
            copy(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        }

        mutating func integer(_ number: Int64) {
            count += JSONWriter.writeInteger(number, at: start + count)
        }
    }
}
