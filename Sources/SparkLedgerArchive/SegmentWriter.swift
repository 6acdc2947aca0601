import Glibc
import SparkLedgerCore

/// Writes events as zstd-compressed NDJSON segments of at most `eventsPerSegment` lines, then the
/// manifest. The manifest is written last, so an interrupted export has none and is not mistaken
/// for a complete one.
public final class SegmentWriter {
    public let directory: String
    public let eventsPerSegment: Int64
    private let level: Int32
    private var segments: [SegmentManifest.Segment] = []
    private var current: (sink: FileSink, compressor: ZstdCompressor, name: String)?
    private var currentEvents: Int64 = 0
    private var first: Int64?
    private var last: Int64?

    public init(directory: String, eventsPerSegment: Int64 = 250_000, level: Int32 = 3) throws(ArchiveError) {
        guard eventsPerSegment > 0 else {
            throw ArchiveError(.unwritable, path: directory, "events per segment must be at least 1, got \(eventsPerSegment)")
        }
        self.directory = directory
        self.eventsPerSegment = eventsPerSegment
        self.level = level
        if mkdir(directory, 0o755) != 0 && errno != EEXIST {
            throw ArchiveError(.unwritable, path: directory, "cannot create the directory: \(FileChunkSource.errorText())")
        }
        if access(directory + "/" + SegmentManifest.fileName, F_OK) == 0 {
            throw ArchiveError(.unwritable, path: directory, "already holds an export (\(SegmentManifest.fileName)); choose an empty directory")
        }
    }

    /// Appends one envelope (without newline) whose event time is `timestamp`.
    public func write(envelope: [UInt8], timestamp: Int64) throws(ArchiveError) {
        if current == nil || currentEvents >= eventsPerSegment {
            try closeSegment()
            let name = "segment-" + Self.pad(segments.count + 1) + ".ndjson.zst"
            current = (try FileSink(path: directory + "/" + name), try ZstdCompressor(level: level, path: directory + "/" + name), name)
        }
        guard let current else { return }
        var line = envelope
        line.append(0x0A)
        let sink = current.sink
        let result = line.withUnsafeBytes { bytes in
            Result { () throws(ArchiveError) in
                try current.compressor.compress(bytes) { compressed throws(ArchiveError) in try sink.write(compressed) }
            }
        }
        try result.get()
        currentEvents += 1
        first = min(first ?? timestamp, timestamp)
        last = max(last ?? timestamp, timestamp)
    }

    /// Closes the last segment and writes the manifest.
    public func finish() throws(ArchiveError) -> SegmentManifest {
        try closeSegment()
        let manifest = SegmentManifest(segments: segments)
        let sink = try FileSink(path: directory + "/" + SegmentManifest.fileName)
        try sink.write(Array(manifest.jsonText().utf8))
        _ = try sink.close()
        return manifest
    }

    private func closeSegment() throws(ArchiveError) {
        guard let current else { return }
        try current.compressor.finish { compressed throws(ArchiveError) in try current.sink.write(compressed) }
        let sha = try current.sink.close()
        segments.append(SegmentManifest.Segment(
            file: current.name, events: currentEvents, firstTimestamp: first, lastTimestamp: last,
            bytes: current.sink.bytesWritten, sha256: sha))
        self.current = nil
        currentEvents = 0
        first = nil
        last = nil
    }

    private static func pad(_ number: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }
}
