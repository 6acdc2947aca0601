/// Tests eight bytes of a JSON string at once for the bytes that end or complicate it, so that
/// the parser and the writer step over plain text a word at a time (SWAR: SIMD within a register).
///
/// Each test sets the high bit of a byte position when that byte may be one it looks for, and
/// never misses one (borrows may flag a neighbour too): callers check a flagged word byte by byte.
enum StringWordScan {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highs: UInt64 = 0x8080_8080_8080_8080

    /// The eight bytes at `offset`, in memory order.
    @inline(__always)
    static func word(_ base: UnsafeRawPointer, at offset: Int) -> UInt64 {
        base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
    }

    /// Whether some byte may be a quote or a backslash.
    @inline(__always)
    static func mayHaveQuoteOrBackslash(_ word: UInt64) -> Bool {
        quotesAndBackslashes(word) & highs != 0
    }

    /// The high bit of each byte that may be a quote or a backslash. The lowest one set is exact
    /// (a borrow only flags bytes above a real match), so on a little-endian machine (`word`
    /// loads bytes in memory order into the low bits first) `trailingZeroBitCount / 8` is the
    /// offset of the first quote or backslash.
    @inline(__always)
    static func quoteOrBackslashBits(_ word: UInt64) -> UInt64 {
        quotesAndBackslashes(word) & highs
    }

    /// Whether some byte may be a quote, a backslash or a control character (below 0x20): the
    /// bytes a JSON writer escapes.
    @inline(__always)
    static func mayNeedEscaping(_ word: UInt64) -> Bool {
        (quotesAndBackslashes(word) | controls(word)) & highs != 0
    }

    /// The high bit of each byte that may need escaping or be non-ASCII; the lowest one set is
    /// exact, as in `quoteOrBackslashBits`.
    @inline(__always)
    static func attentionBits(_ word: UInt64) -> UInt64 {
        (quotesAndBackslashes(word) | controls(word) | word) & highs
    }

    /// Whether some byte may need escaping or be non-ASCII: the bytes a strict parser must look at.
    @inline(__always)
    static func mayNeedAttention(_ word: UInt64) -> Bool {
        (quotesAndBackslashes(word) | controls(word) | word) & highs != 0
    }

    @inline(__always)
    private static func quotesAndBackslashes(_ word: UInt64) -> UInt64 {
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        return ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)
    }

    @inline(__always)
    private static func controls(_ word: UInt64) -> UInt64 {
        (word &- ones &* 0x20) & ~word
    }
}
