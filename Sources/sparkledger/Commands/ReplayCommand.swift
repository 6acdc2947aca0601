import ArgumentParser
import Foundation
import SparkLedgerCore
import SparkLedgerStorage

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Rebuild every projection from the stored log alone and check it against what was there.",
        discussion: """
            Computes a SHA-256 digest of the execution snapshots and daily usage, refolds
            every execution from its events, recomputes daily usage, and digests again,
            all in one transaction. Exit status 0 when the two digests are identical, 3
            when they differ (the rebuilt projections are kept unless --dry-run), 1 when
            the replay failed.

            Examples:
              sparkledger replay
              sparkledger replay --dry-run --format json
            """
    )

    @OptionGroup var store: StoreOptions
    @Flag(help: "Compare only: roll the rebuilt projections back.") var dryRun = false
    @Option(help: "text or json.") var format: Format = .text

    enum Format: String, ExpressibleByArgument { case text, json }

    func run() throws {
        var identical = true
        try reportingFailures {
            let eventStore = try store.open()
            let started = Date()
            let showProgress = Terminal.standardOutputIsTerminal
            let report = try eventStore.replay(dryRun: dryRun) { done, total in
                guard showProgress, total > 0 else { return }
                let line = String(format: "\r\u{1B}[2Kreplaying %3.0f%%  %@ / %@ events", Double(done) / Double(total) * 100,
                                  Formatting.count(done), Formatting.count(total))
                FileHandle.standardOutput.write(Data(line.utf8))
            }
            if showProgress { FileHandle.standardOutput.write(Data("\r\u{1B}[2K".utf8)) }
            let seconds = Date().timeIntervalSince(started)
            identical = report.identical
            let output = StandardOutput()
            switch format {
            case .json:
                output.line(JSONWriter.string(.object(JSONObject([
                    .init("events", .int(report.events)), .init("executions", .int(report.executions)),
                    .init("usage_rows", .int(report.usageRows)), .init("digest_before", .string(report.digestBefore)),
                    .init("digest_after", .string(report.digestAfter)), .init("identical", .bool(report.identical)),
                    .init("committed", .bool(report.committed)), .init("seconds", .number(seconds)),
                ])), keyOrder: .documentOrder))
            case .text:
                output.line("replayed \(Formatting.count(report.events)) events of \(Formatting.count(report.executions)) executions in \(Formatting.seconds(seconds)) (\(Formatting.rate(report.events, seconds: seconds)) events/s)")
                output.line("  projections before  sha256 \(report.digestBefore)")
                output.line("  projections after   sha256 \(report.digestAfter)")
                output.line(report.identical
                    ? "  identical: the snapshots and \(Formatting.count(report.usageRows)) usage rows rebuilt from the log match what was stored"
                    : "  DIFFERENT: the stored projections did not match the log; " + (report.committed ? "the rebuilt ones are now stored" : "nothing was changed (dry run)"))
            }
            output.flush()
        }
        if !identical { throw ExitCode(3) }
    }
}
