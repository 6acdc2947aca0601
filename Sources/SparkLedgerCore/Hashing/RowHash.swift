/// A fast 64-bit hash of a byte string, eight bytes a step. Every step (xor a word, multiply by
/// an odd constant, rotate) is invertible, so changing any one word of the input always changes
/// the result; unrelated inputs collide with probability about 2^-64. Used where a digest needs
/// one fingerprint per row, not protection against an adversary.
public enum RowHash {
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var offset = 0
        while bytes.count - offset >= 8 {
            state = mix(state, bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        if offset < bytes.count {
            state = mix(state, tailWord(bytes, from: offset) | 0x80 &<< UInt64(8 * (bytes.count - offset)))
        }
        return avalanche(state)
    }

    public static func hash(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { hash($0) }
    }

    /// The same steps over words given one at a time, for a caller that has its values as
    /// words (a row's columns) and would otherwise write them into a buffer first. The caller
    /// makes the stream unambiguous (a tag before each value, a length before each byte string).
    public struct Stream {
        private var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        private var words: UInt64 = 0

        public init() {}

        public mutating func add(_ word: UInt64) {
            state = mix(state, word)
            words &+= 1
        }

        /// The bytes eight at a time, the last word zero-padded.
        public mutating func add(_ bytes: UnsafeRawBufferPointer) {
            var offset = 0
            while bytes.count - offset >= 8 {
                add(bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                offset += 8
            }
            if offset < bytes.count { add(tailWord(bytes, from: offset)) }
        }

        public func finish() -> UInt64 {
            avalanche(mix(state, words))
        }
    }

    /// The bytes from `offset` on (fewer than eight) as a little-endian word, zero-padded. In a
    /// buffer of eight bytes or more they are the top of its last eight, loaded at once and
    /// shifted down (the byte loop cost ~40 instructions a tail; callgrind).
    @inline(__always) private static func tailWord(_ bytes: UnsafeRawBufferPointer, from offset: Int) -> UInt64 {
        let remaining = bytes.count - offset
        if bytes.count >= 8 {
            return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self)) &>> UInt64(8 * (8 - remaining))
        }
        var tail: UInt64 = 0
        for (shift, byte) in bytes[offset...].enumerated() { tail |= UInt64(byte) &<< UInt64(8 * shift) }
        return tail
    }

    /// The final step of both forms (also invertible).
    @inline(__always) private static func avalanche(_ state: UInt64) -> UInt64 {
        var state = state
        state ^= state &>> 33
        state &*= 0xFF51_AFD7_ED55_8CCD
        state ^= state &>> 33
        return state
    }

    @inline(__always) private static func mix(_ state: UInt64, _ word: UInt64) -> UInt64 {
        let product = (state ^ word) &* 0xC2B2_AE3D_27D4_EB4F
        return (product &<< 31) | (product &>> 33)
    }
}
