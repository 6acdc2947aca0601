import Glibc

/// One line of a newline-delimited stream, without its `\n` (or `\r\n`). Line numbers start at 1.
/// The buffers are valid only during the callback.
public enum LineEvent {
    case line(number: Int64, bytes: UnsafeBufferPointer<UInt8>)
    /// A line longer than the limit: only its first `limit` bytes are kept; `size` is the whole.
    case oversized(number: Int64, prefix: UnsafeBufferPointer<UInt8>, size: Int)
}

/// Splits chunks of bytes into lines with memory bounded by `maximumLineBytes`: a longer line is
/// not buffered but reported as oversized with its prefix.
public struct LineSplitter {
    public let maximumLineBytes: Int
    /// The start of a line that continues in the next chunk: at most `maximumLineBytes + 1` bytes.
    private var carry: [UInt8] = []
    /// Bytes of the current line beyond what `carry` keeps.
    private var overflow = 0
    private var lastByte: UInt8 = 0
    public private(set) var lineNumber: Int64 = 0

    public init(maximumLineBytes: Int) {
        self.maximumLineBytes = maximumLineBytes
    }

    public mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>, _ body: (LineEvent) throws -> Void) rethrows {
        guard let base = chunk.baseAddress else { return }
        var start = 0
        while start < chunk.count {
            guard let found = memchr(base + start, 0x0A, chunk.count - start) else {
                append(UnsafeBufferPointer(start: base + start, count: chunk.count - start))
                return
            }
            let end = UnsafeRawPointer(found) - UnsafeRawPointer(base)
            let piece = UnsafeBufferPointer(start: base + start, count: end - start)
            if carry.isEmpty && overflow == 0 {
                try emit(piece, body)
            } else {
                append(piece)
                try emitCarry(body)
            }
            start = end + 1
        }
    }

    /// A line of only spaces, tabs and carriage returns (or nothing).
    public static func isBlank(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }

    /// Emits a last line that had no newline.
    public mutating func finish(_ body: (LineEvent) throws -> Void) rethrows {
        if !carry.isEmpty || overflow > 0 { try emitCarry(body) }
    }

    private mutating func append(_ piece: UnsafeBufferPointer<UInt8>) {
        guard let last = piece.last else { return }
        lastByte = last
        let kept = min(max(0, maximumLineBytes + 1 - carry.count), piece.count)
        carry.append(contentsOf: UnsafeBufferPointer(rebasing: piece[0..<kept]))
        overflow += piece.count - kept
    }

    private mutating func emitCarry(_ body: (LineEvent) throws -> Void) rethrows {
        defer {
            carry.removeAll(keepingCapacity: carry.count <= 1 << 16)
            overflow = 0
        }
        let length = carry.count + overflow - (lastByte == 0x0D ? 1 : 0)
        if length > maximumLineBytes {
            lineNumber += 1
            try carry.withUnsafeBufferPointer { kept in
                try body(.oversized(number: lineNumber, prefix: UnsafeBufferPointer(rebasing: kept.prefix(maximumLineBytes)), size: length))
            }
        } else {
            try carry.withUnsafeBufferPointer { kept in try emit(kept, body) }
        }
    }

    private mutating func emit(_ line: UnsafeBufferPointer<UInt8>, _ body: (LineEvent) throws -> Void) rethrows {
        lineNumber += 1
        var bytes = line
        if bytes.last == 0x0D { bytes = UnsafeBufferPointer(rebasing: bytes.dropLast()) }
        if bytes.count > maximumLineBytes {
            try body(.oversized(number: lineNumber, prefix: UnsafeBufferPointer(rebasing: bytes.prefix(maximumLineBytes)), size: bytes.count))
        } else {
            try body(.line(number: lineNumber, bytes: bytes))
        }
    }
}
