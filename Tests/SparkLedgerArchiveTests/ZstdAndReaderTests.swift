import Foundation
import SparkLedgerArchive
import SparkLedgerCore
import SparkLedgerTestSupport
import Testing

@Suite struct ZstdAndReaderTests {
    private func compress(_ text: String, level: Int32 = 3) throws -> [UInt8] {
        let compressor = try ZstdCompressor(level: level, path: "memory")
        var output: [UInt8] = []
        try Array(text.utf8).withUnsafeBytes { bytes in
            try compressor.compress(bytes) { output.append(contentsOf: $0) }
        }
        try compressor.finish { output.append(contentsOf: $0) }
        return output
    }

    private func lines(_ path: String) throws -> [String] {
        let reader = try EventFileReader(path: path, maximumLineBytes: 1 << 20, chunkSize: 13)
        var result: [String] = []
        try reader.forEachLine { event in
            if case .line(_, let bytes) = event { result.append(String(decoding: bytes, as: UTF8.self)) }
            return true
        }
        return result
    }

    private var sample: String { (1...500).map { "{\"n\":\($0),\"pad\":\"\(String(repeating: "z", count: $0 % 40))\"}" }.joined(separator: "\n") + "\n" }

    @Test func readsPlainAndCompressedTheSameWhateverTheName() throws {
        let directory = TemporaryDirectory()
        let plain = directory.write("events.ndjson", Array(sample.utf8))
        let compressed = directory.write("events.json", try compress(sample))  // sniffed by magic, not name
        let expected = sample.split(separator: "\n").map(String.init)
        #expect(try lines(plain) == expected)
        #expect(try lines(compressed) == expected)
        #expect(try EventFileReader(path: compressed, maximumLineBytes: 100).isCompressed)
        #expect(try !EventFileReader(path: plain, maximumLineBytes: 100).isCompressed)
    }

    @Test func readsConcatenatedFrames() throws {
        let directory = TemporaryDirectory()
        let path = directory.write("two.zst", try compress("{\"a\":1}\n") + compress("{\"b\":2}\n"))
        #expect(try lines(path) == ["{\"a\":1}", "{\"b\":2}"])
    }

    @Test func aTruncatedFrameIsAnErrorAfterTheCompleteLines() throws {
        let directory = TemporaryDirectory()
        // Incompressible lines, enough for many zstd blocks: the blocks before the cut decode.
        let large = (1...20_000).map { "{\"n\":\($0),\"h\":\"\(SHA256.hex(SHA256.hash(Array(String($0).utf8))))\"}\n" }.joined()
        let whole = try compress(large, level: 1)
        #expect(whole.count > 500_000)
        let path = directory.write("cut.ndjson.zst", Array(whole.prefix(whole.count * 2 / 3)))
        var seen = 0
        let reader = try EventFileReader(path: path, maximumLineBytes: 1 << 20)
        do {
            try reader.forEachLine { _ in seen += 1; return true }
            Issue.record("a truncated file read without error")
        } catch let error as ArchiveError {
            #expect(error.kind == .truncatedCompression)
            #expect(error.description.hasPrefix(path + ": truncated zstd frame"))
        }
        #expect(seen > 0)
    }

    @Test func corruptDataIsAnErrorNamingTheFile() throws {
        let directory = TemporaryDirectory()
        var bytes = try compress(sample)
        for index in 20..<min(bytes.count, 60) { bytes[index] ^= 0x5A }
        let path = directory.write("bad.zst", bytes)
        #expect {
            try EventFileReader(path: path, maximumLineBytes: 1 << 20).forEachLine { _ in true }
        } throws: { error in
            (error as? ArchiveError)?.kind == .corruptCompression && "\(error)".hasPrefix(path + ":")
        }
    }

    @Test func missingFilesAndDirectoriesAreErrors() throws {
        let directory = TemporaryDirectory()
        #expect(throws: ArchiveError.self) { try EventFileReader(path: directory.file("nope.ndjson"), maximumLineBytes: 10) }
        do {
            _ = try EventFileReader(path: directory.path, maximumLineBytes: 10)
        } catch {
            #expect(error.description == "\(directory.path): is a directory, not a file of events")
        }
    }

    @Test func segmentsRoundTripWithAVerifiableManifest() throws {
        let directory = TemporaryDirectory()
        let out = directory.file("export")
        let writer = try SegmentWriter(directory: out, eventsPerSegment: 3)
        for index in 0..<7 {
            try writer.write(envelope: Array("{\"i\":\(index)}".utf8), timestamp: Int64(1000 - index))
        }
        let manifest = try writer.finish()
        #expect(manifest.segments.map(\.events) == [3, 3, 1])
        #expect(manifest.segments.map(\.file) == ["segment-000001.ndjson.zst", "segment-000002.ndjson.zst", "segment-000003.ndjson.zst"])
        #expect(manifest.segments[0].firstTimestamp == 998 && manifest.segments[0].lastTimestamp == 1000)
        let reread = try SegmentManifest.read(directory: out)
        #expect(reread == manifest)
        try reread.verify(directory: out)
        // The checksums are plain SHA-256 of the files, as sha256sum computes them.
        let file = out + "/" + manifest.segments[1].file
        let digest = SHA256.hex(SHA256.hash(Array(try Data(contentsOf: URL(fileURLWithPath: file)))))
        #expect(digest == manifest.segments[1].sha256)
        #expect(try lines(file) == ["{\"i\":3}", "{\"i\":4}", "{\"i\":5}"])
        // A changed segment fails verification; a second export into the same directory is refused.
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
        bytes[bytes.count - 1] ^= 1
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        #expect { try reread.verify(directory: out) } throws: { ($0 as? ArchiveError)?.kind == .checksumMismatch }
        #expect { try SegmentWriter(directory: out) } throws: { "\($0)".contains("already holds an export") }
    }
}
