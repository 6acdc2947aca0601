import SparkLedgerCore

/// `manifest.json` of a directory of replay segments: what each segment holds and its checksum.
public struct SegmentManifest: Sendable, Equatable {
    public static let fileName = "manifest.json"
    public static let format = "sparkledger-segments"
    public static let version: Int64 = 1

    public struct Segment: Sendable, Equatable {
        /// File name inside the directory.
        public var file: String
        public var events: Int64
        /// Earliest and latest event time in the segment, epoch ms; nil for an empty segment.
        public var firstTimestamp: Int64?
        public var lastTimestamp: Int64?
        /// Size of the compressed file.
        public var bytes: Int64
        /// SHA-256 of the compressed file, lowercase hex.
        public var sha256: String

        public init(file: String, events: Int64, firstTimestamp: Int64?, lastTimestamp: Int64?, bytes: Int64, sha256: String) {
            self.file = file
            self.events = events
            self.firstTimestamp = firstTimestamp
            self.lastTimestamp = lastTimestamp
            self.bytes = bytes
            self.sha256 = sha256
        }
    }

    public var segments: [Segment]

    public init(segments: [Segment]) {
        self.segments = segments
    }

    public var events: Int64 { segments.reduce(0) { $0 + $1.events } }

    /// The manifest as JSON text, keys in a stable order, one segment per line.
    public func jsonText() -> String {
        func value(_ timestamp: Int64?) -> JSONValue { timestamp.map(JSONValue.int) ?? .null }
        let lines = segments.map { segment in
            JSONWriter.string(.object(JSONObject([
                .init("file", .string(segment.file)),
                .init("events", .int(segment.events)),
                .init("first_timestamp", value(segment.firstTimestamp)),
                .init("last_timestamp", value(segment.lastTimestamp)),
                .init("bytes", .int(segment.bytes)),
                .init("sha256", .string(segment.sha256)),
            ])), keyOrder: .documentOrder)
        }
        let first = segments.compactMap(\.firstTimestamp).min()
        let last = segments.compactMap(\.lastTimestamp).max()
        return """
            {
              "format": "\(Self.format)",
              "version": \(Self.version),
              "events": \(events),
              "first_timestamp": \(first.map(String.init) ?? "null"),
              "last_timestamp": \(last.map(String.init) ?? "null"),
              "segments": [
            \(lines.map { "    " + $0 }.joined(separator: ",\n"))
              ]
            }

            """
    }

    /// Parses a manifest, naming the file and the field on failure.
    public static func parse(_ text: [UInt8], path: String) throws(ArchiveError) -> SegmentManifest {
        guard case .object(let root)? = try? JSONParser.parse(text) else {
            throw ArchiveError(.badManifest, path: path, "not a JSON object")
        }
        guard root["format"]?.stringValue == format else {
            throw ArchiveError(.badManifest, path: path, "format is not \"\(format)\"")
        }
        guard case .int(let version)? = root["version"], version <= Self.version else {
            throw ArchiveError(.badManifest, path: path, "version \(root["version"].map(FieldError.render) ?? "missing") is not supported (max \(Self.version))")
        }
        guard case .array(let items)? = root["segments"] else {
            throw ArchiveError(.badManifest, path: path, "segments must be an array")
        }
        var segments: [Segment] = []
        for (index, item) in items.enumerated() {
            guard case .object(let object) = item,
                  let file = object["file"]?.stringValue, !file.contains("/"), !file.isEmpty,
                  case .int(let events)? = object["events"],
                  case .int(let bytes)? = object["bytes"],
                  let sha = object["sha256"]?.stringValue else {
                throw ArchiveError(.badManifest, path: path, "segments[\(index)] needs file (a plain name), events, bytes and sha256")
            }
            func timestamp(_ key: String) -> Int64? {
                if case .int(let value)? = object[key] { return value }
                return nil
            }
            segments.append(Segment(file: file, events: events, firstTimestamp: timestamp("first_timestamp"),
                                    lastTimestamp: timestamp("last_timestamp"), bytes: bytes, sha256: sha))
        }
        return SegmentManifest(segments: segments)
    }

    /// Reads `manifest.json` from `directory`.
    public static func read(directory: String) throws(ArchiveError) -> SegmentManifest {
        let path = directory + "/" + fileName
        let source = try FileChunkSource(path: path)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = try chunk.withUnsafeMutableBufferPointer { buffer throws(ArchiveError) in try source.read(into: buffer) }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > 64 << 20 { throw ArchiveError(.badManifest, path: path, "larger than 64 MiB") }
        }
        return try parse(bytes, path: path)
    }

    /// Checks every segment's size and SHA-256 against the manifest.
    public func verify(directory: String) throws(ArchiveError) {
        for segment in segments {
            let path = directory + "/" + segment.file
            let source = try FileChunkSource(path: path)
            var hasher = SHA256()
            var size: Int64 = 0
            var chunk = [UInt8](repeating: 0, count: 256 * 1024)
            while true {
                let count = try chunk.withUnsafeMutableBufferPointer { buffer throws(ArchiveError) in try source.read(into: buffer) }
                if count == 0 { break }
                chunk.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
                size += Int64(count)
            }
            let digest = SHA256.hex(hasher.finalize())
            guard size == segment.bytes, digest == segment.sha256 else {
                throw ArchiveError(.checksumMismatch, path: path,
                                   "does not match the manifest (\(size) bytes, sha256 \(digest); expected \(segment.bytes) bytes, sha256 \(segment.sha256))")
            }
        }
    }
}
