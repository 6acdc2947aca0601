import CZstd

/// The zstd frame magic number, little-endian on disk: 28 B5 2F FD.
public enum Zstd {
    public static let magic: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD]

    static func isError(_ code: Int) -> Bool { ZSTD_isError(code) != 0 }

    static func errorName(_ code: Int) -> String { String(cString: ZSTD_getErrorName(code)) }
}

/// Decompresses a zstd stream (one or more frames) from another source, in bounded memory.
/// A stream that ends inside a frame is an error: data was cut off.
public final class ZstdDecompressingSource: ByteChunkSource {
    private let upstream: ByteChunkSource
    private let path: String
    private let context: OpaquePointer
    private var input: [UInt8]
    private var inputStart = 0
    private var inputEnd = 0
    private var upstreamFinished = false
    /// ZSTD_decompressStream's last hint: 0 when the last frame is complete.
    private var frameIncomplete = false
    private var compressedConsumed: Int64 = 0

    public init(_ upstream: ByteChunkSource, path: String, prefix: [UInt8] = []) throws(ArchiveError) {
        guard let context = ZSTD_createDCtx() else {
            throw ArchiveError(.unreadable, path: path, "cannot allocate a zstd decompression context")
        }
        self.upstream = upstream
        self.path = path
        self.context = context
        input = [UInt8](repeating: 0, count: max(ZSTD_DStreamInSize(), 128 * 1024))
        input.replaceSubrange(0..<prefix.count, with: prefix)
        inputEnd = prefix.count
    }

    deinit {
        ZSTD_freeDCtx(context)
    }

    public func read(into buffer: UnsafeMutableBufferPointer<UInt8>) throws(ArchiveError) -> Int {
        guard buffer.count > 0 else { return 0 }
        while true {
            if inputStart == inputEnd && !upstreamFinished {
                inputStart = 0
                let count = try input.withUnsafeMutableBufferPointer { storage throws(ArchiveError) in
                    try upstream.read(into: storage)
                }
                inputEnd = count
                if count == 0 { upstreamFinished = true }
            }
            if inputStart == inputEnd && upstreamFinished {
                if frameIncomplete {
                    throw ArchiveError(.truncatedCompression, path: path,
                                       "truncated zstd frame: the data ends after \(compressedConsumed) compressed bytes")
                }
                return 0
            }
            var produced = 0
            var consumed = 0
            var hint = 0
            input.withUnsafeBytes { inputBytes in
                var inBuffer = ZSTD_inBuffer(src: inputBytes.baseAddress.map { $0 + inputStart }, size: inputEnd - inputStart, pos: 0)
                var outBuffer = ZSTD_outBuffer(dst: buffer.baseAddress, size: buffer.count, pos: 0)
                hint = ZSTD_decompressStream(context, &outBuffer, &inBuffer)
                produced = outBuffer.pos
                consumed = inBuffer.pos
            }
            if Zstd.isError(hint) {
                throw ArchiveError(.corruptCompression, path: path,
                                   "corrupt zstd data near compressed byte \(compressedConsumed): \(Zstd.errorName(hint))")
            }
            inputStart += consumed
            compressedConsumed += Int64(consumed)
            frameIncomplete = hint != 0
            if produced > 0 { return produced }
        }
    }
}

/// Compresses a stream with zstd, handing finished bytes to `sink`.
public final class ZstdCompressor {
    private let context: OpaquePointer
    private var output: [UInt8]
    private let path: String

    public init(level: Int32 = 3, path: String) throws(ArchiveError) {
        guard let context = ZSTD_createCCtx() else {
            throw ArchiveError(.unwritable, path: path, "cannot allocate a zstd compression context")
        }
        self.context = context
        self.path = path
        ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, level)
        ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1)
        output = [UInt8](repeating: 0, count: ZSTD_CStreamOutSize())
    }

    deinit {
        ZSTD_freeCCtx(context)
    }

    /// Compresses `bytes`; `sink` receives whatever compressed output is ready.
    public func compress(_ bytes: UnsafeRawBufferPointer, sink: ([UInt8]) throws(ArchiveError) -> Void) throws(ArchiveError) {
        try run(bytes, directive: ZSTD_e_continue, sink: sink)
    }

    /// Ends the frame and flushes everything.
    public func finish(sink: ([UInt8]) throws(ArchiveError) -> Void) throws(ArchiveError) {
        try run(UnsafeRawBufferPointer(start: nil, count: 0), directive: ZSTD_e_end, sink: sink)
    }

    private func run(_ bytes: UnsafeRawBufferPointer, directive: ZSTD_EndDirective,
                     sink: ([UInt8]) throws(ArchiveError) -> Void) throws(ArchiveError) {
        var inBuffer = ZSTD_inBuffer(src: bytes.baseAddress, size: bytes.count, pos: 0)
        while true {
            var remaining = 0
            var produced = 0
            output.withUnsafeMutableBytes { outputBytes in
                var outBuffer = ZSTD_outBuffer(dst: outputBytes.baseAddress, size: outputBytes.count, pos: 0)
                remaining = ZSTD_compressStream2(context, &outBuffer, &inBuffer, directive)
                produced = outBuffer.pos
            }
            if Zstd.isError(remaining) {
                throw ArchiveError(.unwritable, path: path, "zstd compression failed: \(Zstd.errorName(remaining))")
            }
            if produced > 0 { try sink(Array(output[0..<produced])) }
            let inputDone = inBuffer.pos == inBuffer.size
            if directive == ZSTD_e_end ? remaining == 0 : inputDone { return }
        }
    }
}
