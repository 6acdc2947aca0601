/// Reads a file of events line by line — NDJSON, or NDJSON compressed with zstd (recognised by
/// its magic bytes, whatever the file is called) — in bounded memory. `-` is standard input.
public final class EventFileReader {
    public let path: String
    public let file: FileChunkSource
    public let isCompressed: Bool
    private let source: ByteChunkSource
    private var splitter: LineSplitter
    private let chunkSize: Int

    public init(path: String, maximumLineBytes: Int, chunkSize: Int = 256 * 1024) throws(ArchiveError) {
        self.path = path
        let file = try FileChunkSource(path: path)
        self.file = file
        splitter = LineSplitter(maximumLineBytes: maximumLineBytes)
        self.chunkSize = chunkSize
        // Sniff the first four bytes, then hand them on to whichever reader takes the stream.
        var prefix: [UInt8] = []
        var probe = [UInt8](repeating: 0, count: 4)
        while prefix.count < 4 {
            let wanted = 4 - prefix.count
            let count = try probe.withUnsafeMutableBufferPointer { buffer throws(ArchiveError) in
                try file.read(into: UnsafeMutableBufferPointer(rebasing: buffer[0..<wanted]))
            }
            if count == 0 { break }
            prefix.append(contentsOf: probe[0..<count])
        }
        isCompressed = prefix == Zstd.magic
        if isCompressed {
            source = try ZstdDecompressingSource(file, path: path, prefix: prefix)
        } else {
            source = PrefixedChunkSource(prefix: prefix, upstream: file)
        }
    }

    /// Lines so far.
    public var linesRead: Int64 { splitter.lineNumber }

    /// Calls `body` with every line; `body` returns false to stop early.
    public func forEachLine(_ body: (LineEvent) throws -> Bool) throws {
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        var stopped = false
        while !stopped {
            let count = try buffer.withUnsafeMutableBufferPointer { storage throws(ArchiveError) in
                try source.read(into: storage)
            }
            if count == 0 { break }
            try buffer.withUnsafeBufferPointer { storage in
                try splitter.feed(UnsafeBufferPointer(rebasing: storage[0..<count])) { line in
                    guard !stopped else { return }
                    if try !body(line) { stopped = true }
                }
            }
        }
        if !stopped {
            try splitter.finish { line in _ = try body(line) }
        }
    }
}

/// Yields some bytes already read, then the rest of the stream.
final class PrefixedChunkSource: ByteChunkSource {
    private var prefix: [UInt8]
    private let upstream: ByteChunkSource

    init(prefix: [UInt8], upstream: ByteChunkSource) {
        self.prefix = prefix
        self.upstream = upstream
    }

    func read(into buffer: UnsafeMutableBufferPointer<UInt8>) throws(ArchiveError) -> Int {
        guard prefix.isEmpty else {
            let count = min(prefix.count, buffer.count)
            for index in 0..<count { buffer[index] = prefix[index] }
            prefix.removeFirst(count)
            return count
        }
        return try upstream.read(into: buffer)
    }
}
