/// Whether `count` bytes at `a` and at `b` are the same, eight at a time: for the short names and
/// values the parser and its tables compare (no call into the C library for a dozen bytes).
@inline(__always)
func memoryEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    var offset = 0
    while count - offset >= 8 {
        if UnsafeRawPointer(a).loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            != UnsafeRawPointer(b).loadUnaligned(fromByteOffset: offset, as: UInt64.self) { return false }
        offset += 8
    }
    while offset < count {
        if a[offset] != b[offset] { return false }
        offset += 1
    }
    return true
}
