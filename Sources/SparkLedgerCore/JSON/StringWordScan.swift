/// Steps over plain JSON string bytes eight at a time (SWAR: SIMD within a register), for the
/// parser and the writer.
///
/// Each `…Bits` test sets the high bit of every byte that may be one it looks for and never
/// misses one. Borrows may flag a byte above a real match too, but never one below it, so the
/// lowest flagged byte is exact: `skip` stops on it.
enum StringWordScan {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highs: UInt64 = 0x8080_8080_8080_8080

    /// The eight bytes at `offset`, the first of them in the lowest byte on any machine.
    @inline(__always)
    static func word(_ base: UnsafeRawPointer, at offset: Int) -> UInt64 {
        UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// The offset, from `offset` on, of the first byte `bits` flags in the first word that has
    /// one; or, when none does, where fewer than eight bytes remain before `end`. Either way the
    /// caller looks at the bytes from there one at a time.
    @inline(__always)
    static func skip(_ base: UnsafeRawPointer, from offset: Int, end: Int, flagging bits: (UInt64) -> UInt64) -> Int {
        var offset = offset
        while end - offset >= 8 {
            let flagged = bits(word(base, at: offset))
            if flagged != 0 { return offset + flagged.trailingZeroBitCount / 8 }
            offset += 8
        }
        return offset
    }

    /// Bytes that may be a quote or a backslash.
    @inline(__always)
    static func quoteOrBackslashBits(_ word: UInt64) -> UInt64 {
        quotesAndBackslashes(word) & highs
    }

    /// Bytes that may be a quote, a backslash or a control character (below 0x20): the bytes a
    /// JSON writer escapes.
    @inline(__always)
    static func escapingBits(_ word: UInt64) -> UInt64 {
        (quotesAndBackslashes(word) | controls(word)) & highs
    }

    /// Bytes that may need escaping or be non-ASCII: the bytes a strict parser must look at.
    @inline(__always)
    static func attentionBits(_ word: UInt64) -> UInt64 {
        (quotesAndBackslashes(word) | controls(word) | word) & highs
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
