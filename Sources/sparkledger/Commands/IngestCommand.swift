import ArgumentParser
import SparkLedgerCore
import SparkLedgerIngest
import SparkLedgerStorage

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Append events from NDJSON or zstd-compressed NDJSON files to the store.",
        discussion: """
            Reads each FILE as a stream (constant memory, any size); `-` reads standard
            input; a directory written by `sparkledger export` is verified against its
            manifest and ingested segment by segment. Every batch is appended, folded into
            the snapshots it touches and checkpointed in one transaction. Invalid events
            go to the quarantine; they are data, not failures: the exit status is 0 unless
            a file cannot be read or the database fails. An interrupted ingest of an
            unchanged file resumes after the last committed line.

            Examples:
              sparkledger ingest events.ndjson.zst
              sparkledger generate --executions 1000 | sparkledger ingest --db /tmp/h.db -
              sparkledger ingest --db history.db replay/
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("Event files (.ndjson, .ndjson.zst), `-` for standard input, or export directories.", valueName: "file"))
    var files: [String]

    @Option(help: "Summary format: text or json.")
    var format: SummaryFormat = .text

    @Option(help: "Records per transaction (a transaction also ends every 2 seconds).")
    var commitEvery: Int = 50_000

    @Flag(help: "Read interrupted files from the start instead of resuming after the last committed line.")
    var noResume = false

    enum SummaryFormat: String, ExpressibleByArgument { case text, json }

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("Name at least one file to ingest, or `-` for standard input.") }
        guard commitEvery >= 1 else { throw ValidationError("--commit-every must be at least 1, got \(commitEvery).") }
    }

    func run() throws {
        try reportingFailures {
            let eventStore = try store.open()
            let configuration = FileIngestConfiguration(
                batchSize: min(10_000, commitEvery), transactionRecords: commitEvery, resume: !noResume)
            let ingestor = FileIngestor(store: eventStore, configuration: configuration)
            let progress = IngestProgress()
            let display = ProgressDisplay(progress: progress)
            display.start()
            let report: IngestReport
            do {
                report = try ingestor.ingest(files, progress: progress)
                display.stop()
            } catch let error as IngestError {
                display.stop()
                let committed = error.committedRecords > 0
                    ? "; the \(Formatting.count(error.committedRecords)) records committed before it stay in \(eventStore.path)"
                    : "; nothing was committed"
                throw CommandFailure("\(error)" + committed)
            }
            let output = StandardOutput()
            switch format {
            case .text: IngestSummary.printText(report, to: output)
            case .json: output.line(JSONWriter.string(.object(IngestSummary.json(report)), keyOrder: .documentOrder))
            }
        }
    }
}

/// How an ingest report is shown.
enum IngestSummary {
    static func printText(_ report: IngestReport, to output: StandardOutput) {
        let total = report.total
        for input in report.inputs where report.inputs.count > 1 || input.resumedAfterLine > 0 {
            var line = "  \(input.path): \(Formatting.count(input.lines)) lines, \(Formatting.count(input.outcome.accepted)) accepted"
            if input.resumedAfterLine > 0 { line += " (resumed after line \(Formatting.count(input.resumedAfterLine)))" }
            output.line(line)
        }
        output.line("ingested \(Formatting.count(report.lines)) lines in \(Formatting.seconds(report.seconds)) (\(Formatting.rate(report.lines, seconds: report.seconds)) lines/s)")
        output.line("  accepted     \(Formatting.count(total.accepted))")
        output.line("  duplicates   \(Formatting.count(total.duplicates))")
        output.line("  quarantined  \(Formatting.count(total.quarantinedTotal))")
        for reason in RejectionReason.allCases {
            if let count = total.quarantined[reason], count > 0 {
                output.line("    \(reason.rawValue.padding(toLength: 28, withPad: " ", startingAt: 0))\(Formatting.count(count))")
            }
        }
        if report.blankLines > 0 { output.line("  blank lines skipped  \(Formatting.count(report.blankLines))") }
    }

    static func json(_ report: IngestReport) -> JSONObject {
        func outcomeMembers(_ outcome: AppendOutcome) -> [JSONObject.Member] {
            [
                .init("accepted", .int(Int64(outcome.accepted))),
                .init("duplicates", .int(Int64(outcome.duplicates))),
                .init("quarantined", .object(JSONObject(RejectionReason.allCases.compactMap { reason in
                    outcome.quarantined[reason].map { JSONObject.Member(reason.rawValue, .int(Int64($0))) }
                }))),
                .init("quarantined_total", .int(Int64(outcome.quarantinedTotal))),
            ]
        }
        let files = report.inputs.map { input in
            JSONValue.object(JSONObject([
                .init("path", .string(input.path)),
                .init("lines", .int(input.lines)),
                .init("blank_lines", .int(input.blankLines)),
                .init("resumed_after_line", .int(input.resumedAfterLine)),
            ] + outcomeMembers(input.outcome)))
        }
        return JSONObject([
            .init("lines", .int(report.lines)),
            .init("blank_lines", .int(report.blankLines)),
        ] + outcomeMembers(report.total) + [
            .init("seconds", .number(report.seconds)),
            .init("files", .array(files)),
        ])
    }
}
