import ArgumentParser
import SparkLedgerArchive
import SparkLedgerCore
import SparkLedgerSynthetic

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a realistic synthetic history of ExecutionEvents (deterministic for a seed).",
        discussion: """
            Twelve teams and their recurring jobs with stable, over-provisioned resource
            profiles; SK8, EMR and DBR queues; successes, user failures, OOMs,
            infrastructure failures, cancels, operator restarts and auto-retries; spot and
            on-demand mixes; late and duplicated deliveries. The history ends at --end, so
            its last executions are still running. Output is NDJSON in delivery order; a
            name ending in .zst is compressed.

            Examples:
              sparkledger generate --executions 100000 --seed 7 --out history.ndjson.zst
              sparkledger generate --executions 500 --invalid-rate 0.02 | sparkledger ingest -
            """
    )

    @Option(help: "How many executions.") var executions: Int
    @Option(help: "Seed: the same seed gives the same history.") var seed: UInt64 = 1
    @Option(help: ArgumentHelp("File to write; `-` or none for standard output. *.zst is zstd-compressed.", valueName: "file")) var out: String = "-"
    @Option(help: "When the history ends (\(TimeArgument.help)); default 2026-11-01T00:00:00Z.") var end: String?
    @Option(help: "Share of events delivered late (minutes to hours).") var lateRate: Double = 0.02
    @Option(help: "Share of events delivered twice.") var duplicateRate: Double = 0.01
    @Option(help: "Share of events followed by an invalid record (every rejection reason in turn).") var invalidRate: Double = 0

    func validate() throws {
        guard executions >= 1 else { throw ValidationError("--executions must be at least 1, got \(executions).") }
        for (name, rate) in [("--late-rate", lateRate), ("--duplicate-rate", duplicateRate), ("--invalid-rate", invalidRate)]
        where !(0...1).contains(rate) {
            throw ValidationError("\(name) must be between 0 and 1, got \(rate).")
        }
    }

    func run() throws {
        try reportingFailures {
            var configuration = HistoryConfiguration(
                executions: executions, seed: seed, lateRate: lateRate, duplicateRate: duplicateRate, invalidRate: invalidRate)
            if let end { configuration.end = try TimeArgument.parse(end, flag: "--end") }
            var generator = HistoryGenerator(configuration)
            let sink = try FileSink(path: out)
            let compressor = out.hasSuffix(".zst") ? try ZstdCompressor(level: 3, path: out) : nil
            var line: [UInt8] = []
            try generator.generate { bytes in
                line.removeAll(keepingCapacity: true)
                line.append(contentsOf: bytes)
                line.append(0x0A)
                if let compressor {
                    try line.withUnsafeBytes { raw in
                        try compressor.compress(raw) { chunk throws(ArchiveError) in try sink.write(chunk) }
                    }
                } else {
                    try sink.write(line)
                }
            }
            try compressor?.finish { chunk throws(ArchiveError) in try sink.write(chunk) }
            _ = try sink.close()
            if out != "-" {
                let summary = generator.summary
                Terminal.note("wrote \(Formatting.count(summary.lines)) lines to \(out): \(Formatting.count(summary.executions)) executions, \(Formatting.count(summary.events)) events, \(Formatting.count(summary.duplicates)) duplicates, \(Formatting.count(summary.invalid.values.reduce(0, +))) invalid")
            }
        }
    }
}
