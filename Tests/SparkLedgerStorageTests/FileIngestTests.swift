import Foundation
@testable import SparkLedgerStorage
import SparkLedgerArchive
import SparkLedgerCore
import SparkLedgerIngest
import Testing

/// Bad input never crashes and never loses an accepted event; what was committed stays committed.
@Suite struct FileIngestTests {
    private func compress(_ bytes: [UInt8]) throws -> [UInt8] {
        let compressor = try ZstdCompressor(level: 1, path: "memory")
        var output: [UInt8] = []
        try bytes.withUnsafeBytes { raw in try compressor.compress(raw) { output.append(contentsOf: $0) } }
        try compressor.finish { output.append(contentsOf: $0) }
        return output
    }

    private func text(_ lines: [[UInt8]]) -> [UInt8] {
        lines.flatMap { $0 + [0x0A] }
    }

    @Test func quarantinesBadLinesAndCountsEveryReason() throws {
        let fixture = try StoreFixture()
        let history = StoreFixture.history(executions: 200, seed: 4, invalidRate: 0.05)
        let file = fixture.directory.write("h.ndjson", text(history.lines) + Array("\n   \n".utf8))
        let report = try FileIngestor(store: fixture.store, configuration: FileIngestConfiguration(batchSize: 333, clock: { StoreFixture.ingestTime })).ingest([file])
        #expect(report.total.accepted == history.summary.events)
        #expect(report.total.duplicates == history.summary.duplicates)
        #expect(report.total.quarantined == history.summary.invalid)
        #expect(report.blankLines == 2)
        #expect(report.lines == Int64(history.lines.count + 2))
        let counts = try fixture.store.quarantineCounts()
        #expect(counts.mapValues(Int.init) == history.summary.invalid)
        let first = try #require(try fixture.store.quarantine(limit: 1).first)
        #expect(first.origin.hasPrefix("file:\(file):"))
    }

    @Test func aLineOverOneMebibyteIsQuarantinedWithItsPrefix() throws {
        let fixture = try StoreFixture()
        let huge = Envelope.make("big", payload: "{\"pad\":\"\(String(repeating: "x", count: 1_100_000))\"}")
        let file = fixture.directory.write("big.ndjson", Array((Envelope.submit("s1") + "\n" + huge + "\n" + Envelope.make("r1") + "\n").utf8))
        let report = try FileIngestor(store: fixture.store, configuration: FileIngestConfiguration(clock: { StoreFixture.ingestTime })).ingest([file])
        #expect(report.total.accepted == 2)
        #expect(report.total.quarantined == [.tooLarge: 1])
        let entry = try #require(try fixture.store.quarantine().first)
        #expect(entry.rawSize == Int64(huge.utf8.count))
        #expect(entry.raw.count == Contract.maximumEnvelopeBytes)
        #expect(entry.origin == "file:\(file):2")
    }

    @Test func aFileEndingMidLineKeepsEverythingBeforeIt() throws {
        let fixture = try StoreFixture()
        let cut = Envelope.make("r1")
        let file = fixture.directory.write("cut.ndjson", Array((Envelope.submit("s1") + "\n" + cut.prefix(cut.count / 2)).utf8))
        let report = try FileIngestor(store: fixture.store, configuration: FileIngestConfiguration(clock: { StoreFixture.ingestTime })).ingest([file])
        #expect(report.total.accepted == 1)
        #expect(report.total.quarantined == [.malformed: 1])
        // A last line without newline is still a line.
        let whole = fixture.directory.write("whole.ndjson", Array(Envelope.make("r2").utf8))
        #expect(try FileIngestor(store: fixture.store, configuration: FileIngestConfiguration(clock: { StoreFixture.ingestTime })).ingest([whole]).total.accepted == 1)
    }

    @Test func aTruncatedZstdFileFailsAfterCommittingItsCompleteLines() throws {
        let fixture = try StoreFixture()
        let history = StoreFixture.history(executions: 150, seed: 8)
        let compressed = try compress(text(history.lines))
        let file = fixture.directory.write("cut.ndjson.zst", Array(compressed.prefix(compressed.count / 2)))
        do {
            _ = try FileIngestor(store: fixture.store, configuration: FileIngestConfiguration(batchSize: 100, clock: { StoreFixture.ingestTime })).ingest([file])
            Issue.record("a truncated file ingested without error")
        } catch {
            #expect("\(error)".hasPrefix(file + ": truncated zstd frame"))
        }
        let stored = try fixture.count("events")
        #expect(stored > 100)
        #expect(stored < history.summary.events)
        #expect(try fixture.store.replay(dryRun: true).identical)
        // Those events are exactly the first lines of the file: re-ingesting the intact file
        // adds the rest and reports the committed ones as duplicates.
        let intact = fixture.directory.write("whole.ndjson.zst", compressed)
        let rest = try FileIngestor(store: fixture.store, configuration: FileIngestConfiguration(clock: { StoreFixture.ingestTime })).ingest([intact])
        #expect(rest.total.accepted + stored == history.summary.events)
    }

    @Test func inputErrorsNameTheFile() throws {
        let fixture = try StoreFixture()
        let ingestor = FileIngestor(store: fixture.store)
        let missing = fixture.directory.file("missing.ndjson")
        #expect { try ingestor.ingest([missing]) } throws: { "\($0)".hasPrefix(missing + ": cannot open") }
        let empty = fixture.directory.file("empty-dir")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        #expect { try ingestor.ingest([empty]) } throws: { "\($0)".contains("without manifest.json") }
        let nothing = fixture.directory.write("empty.ndjson", [])
        #expect(try ingestor.ingest([nothing]).lines == 0)
    }

    @Test func anInterruptedFileResumesAfterItsCheckpoint() throws {
        let fixture = try StoreFixture()
        let history = StoreFixture.history(executions: 120, seed: 13)
        let file = fixture.directory.write("h.ndjson", text(history.lines))
        let configuration = FileIngestConfiguration(batchSize: 200, clock: { StoreFixture.ingestTime })
        let full = try FileIngestor(store: fixture.store, configuration: configuration).ingest([file])
        let source = "file:" + URL(fileURLWithPath: file).standardizedFileURL.path
        let checkpoint = try #require(try fixture.store.checkpoint(source: source))
        #expect(checkpoint.position == Int64(history.lines.count))
        #expect(checkpoint.detail?.contains("\"complete\":true") == true)

        // Pretend the run died after line 500: the checkpoint says so, for the same unchanged file.
        let interrupted = checkpoint.detail?.replacingOccurrences(of: "\"complete\":true", with: "\"complete\":false")
        try fixture.store.append(IngestBatch(checkpoints: [IngestCheckpoint(source: source, position: 500, detail: interrupted)]))
        let resumed = try FileIngestor(store: fixture.store, configuration: configuration).ingest([file])
        #expect(resumed.inputs.first?.resumedAfterLine == 500)
        #expect(resumed.total.accepted == 0)
        #expect(resumed.total.duplicates == history.lines.count - 500)  // lines 1…500 were not read again
        #expect(full.total.accepted + full.total.duplicates == history.lines.count)
        // A complete file is read again from the start (everything a duplicate).
        let again = try FileIngestor(store: fixture.store, configuration: configuration).ingest([file])
        #expect(again.inputs.first?.resumedAfterLine == 0)
        #expect(again.total.duplicates == history.lines.count)
    }
}
