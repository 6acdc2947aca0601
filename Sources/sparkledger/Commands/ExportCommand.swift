import ArgumentParser
import SparkLedgerArchive
import SparkLedgerCore
import SparkLedgerStorage

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the whole log as zstd NDJSON replay segments with a manifest.",
        discussion: """
            Writes the events in log order as segment-000001.ndjson.zst, … (canonical
            JSON, one envelope per line) and manifest.json with each segment's event
            count, first and last event time, size and SHA-256. `sparkledger ingest DIR`
            verifies the manifest and loads the segments; into an empty database it
            reproduces identical snapshots.

            Examples:
              sparkledger export --out backup-2026-11-23
              sparkledger ingest --db copy.db backup-2026-11-23 && sparkledger replay --db copy.db
            """
    )

    @OptionGroup var store: StoreOptions
    @Option(help: ArgumentHelp("Directory to write (created; must not hold an export already).", valueName: "dir")) var out: String
    @Option(help: "Events per segment.") var segmentEvents: Int64 = 250_000

    func run() throws {
        try reportingFailures {
            let eventStore = try store.open(readOnly: true)
            let writer = try SegmentWriter(directory: out, eventsPerSegment: segmentEvents)
            var failure: ArchiveError?
            do {
                try eventStore.forEachEvent { _, event in
                    do {
                        try writer.write(envelope: event.canonicalEnvelope(), timestamp: event.timestamp)
                    } catch let error as ArchiveError {
                        failure = error
                        throw error
                    }
                }
            } catch {
                throw failure ?? error  // a write failure names the segment file, not the database
            }
            let manifest = try writer.finish()
            let output = StandardOutput()
            for segment in manifest.segments {
                output.line("  \(segment.file)  \(Formatting.count(segment.events)) events  \(Formatting.bytes(segment.bytes))  sha256 \(segment.sha256)")
            }
            output.line("exported \(Formatting.count(manifest.events)) events in \(manifest.segments.count) segments to \(out)/")
            output.flush()
        }
    }
}
