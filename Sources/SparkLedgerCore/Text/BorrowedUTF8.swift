extension String {
    /// Calls `body` with the string's UTF-8 bytes. A native string's bytes are lent as they are;
    /// `withUTF8` is mutating, so calling it meant copying the string into a `var` first — a
    /// retain and a release, atomic operations on memory another thread may have written last.
    /// Other strings (bridged ones, never on Linux) are copied first.
    @inlinable
    public func withBorrowedUTF8<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return try copy.withUTF8(body)
    }
}
