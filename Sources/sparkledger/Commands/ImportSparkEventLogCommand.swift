import ArgumentParser
import Foundation
import SparkLedgerCore
import SparkLedgerIngest
import SparkLedgerStorage

struct ImportSparkEventLogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-spark-eventlog",
        abstract: "Import Spark event logs (what the Spark History Server replays) as ExecutionEvents.",
        discussion: """
            Each application's log becomes SUBMIT, RUNNING, METRICS_SUMMARY and, when it
            ended, TERMINAL events with source `importer` (docs/SPARK-IMPORT.md has the
            mapping): task metrics summed as the History Server sums them, executors'
            core- and memory-seconds, requested resources from its Spark properties.
            PATH is a log file (plain or zstd; `.inprogress` logs import what is complete
            and stay RUNNING), a rolling log directory (eventlog_v2_*), or a directory of
            logs. Every log is read before anything is stored: a bad one stops the run
            with a message naming it, and nothing is ingested. Importing a log again
            stores nothing twice. --emit writes the events as NDJSON instead of storing
            them (`-` for standard output), e.g. for `sparkledger produce`.

            Examples:
              sparkledger import-spark-eventlog /var/log/spark-events/app-20261101-0001.zstd
              sparkledger import-spark-eventlog spark-events/ --team payments
              sparkledger import-spark-eventlog eventlog_v2_spark-1f2e --job-path-from conf:spark.sk8.job
              sparkledger import-spark-eventlog spark-events/ --team ads --emit events.ndjson
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("Event-log files, rolling event-log directories, or directories of logs.", valueName: "path"))
    var paths: [String]

    @Option(help: "The team of every imported execution (default: the spark.kubernetes.driver.label.team property, or the team of an sjns-<team> namespace).")
    var team: String?

    @Option(name: .customLong("job-path-from"), help: ArgumentHelp("app-name, or conf:KEY to take the job_path from a Spark property.", valueName: "source"))
    var jobPathFrom: String = "app-name"

    @Option(help: ArgumentHelp("Write the events as NDJSON to this file (`-` for standard output) instead of storing them.", valueName: "file"))
    var emit: String?

    @Flag(help: "Skip lines that are not JSON (counted) instead of stopping; a cut-off last line of an in-progress log is always skipped.")
    var skipMalformedLines = false

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("Name at least one event log or directory of event logs.") }
        _ = try jobPathSource()
        if let team, team.isEmpty { throw ValidationError("--team must not be empty.") }
    }

    private func jobPathSource() throws -> SparkJobPathSource {
        if jobPathFrom == "app-name" { return .appName }
        if jobPathFrom.hasPrefix("conf:"), jobPathFrom.count > 5 { return .property(String(jobPathFrom.dropFirst(5))) }
        throw ValidationError("--job-path-from must be app-name or conf:KEY, got \"\(jobPathFrom)\".")
    }

    func run() throws {
        try reportingFailures {
            let started = ContinuousClock.now
            let importer = SparkEventLogImporter(team: team, jobPathFrom: try jobPathSource(), skipMalformedLines: skipMalformedLines)
            let inputs: [SparkEventLogInput]
            let applications: [SparkEventLogImporter.Application]
            let progress = IngestProgress()
            let display = ProgressDisplay(progress: progress, enabled: emit != "-" && Terminal.standardOutputIsTerminal)
            do {
                inputs = try SparkEventLogInput.find(paths)
                let total = inputs.flatMap(\.files).reduce(Int64(0)) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int64) ?? 0) }
                progress.bytesTotal.store(total, ordering: .relaxed)
                display.start()
                applications = try importer.read(inputs) { progress.bytesRead.store($0, ordering: .relaxed) }
                display.stop()
            } catch {
                display.stop()
                throw CommandFailure("\(error); nothing was imported")
            }

            if let emit {
                let bytes = SparkEventLogImporter.ndjson(applications)
                if emit == "-" {
                    FileHandle.standardOutput.write(Data(bytes))
                } else {
                    guard FileManager.default.createFile(atPath: emit, contents: Data(bytes)) else {
                        throw CommandFailure("\(emit): cannot write the events")
                    }
                }
            }
            let output = emit == "-" ? nil : StandardOutput()
            for application in applications {
                output?.line(Self.describe(application))
            }
            if emit != nil {
                let events = applications.reduce(0) { $0 + $1.events.envelopes.count }
                output?.line("wrote \(Formatting.count(events)) events of \(Formatting.count(applications.count)) applications to \(emit ?? "")")
                if emit == "-" {
                    Terminal.note("wrote \(events) events of \(applications.count) applications to standard output")
                }
                output?.flush()
                return
            }
            let eventStore = try store.open()
            let outcome = try SparkEventLogImporter.ingest(applications, into: eventStore, ingestTime: StoreConfiguration.systemClock())
            let seconds = (ContinuousClock.now - started).inSeconds
            let bytes = applications.reduce(Int64(0)) { $0 + $1.read.bytes }
            guard let output else { return }
            output.line("imported \(Formatting.count(applications.count)) applications (\(Formatting.bytes(bytes)) of event logs) in \(Formatting.seconds(seconds))")
            output.line("  accepted     \(Formatting.count(outcome.accepted))")
            output.line("  duplicates   \(Formatting.count(outcome.duplicates))")
            output.line("  quarantined  \(Formatting.count(outcome.quarantinedTotal))")
            output.flush()
        }
    }

    private static func describe(_ application: SparkEventLogImporter.Application) -> String {
        let events = application.events
        let metrics = events.metrics
        func count(_ field: MetricsSummary.Field) -> String { Formatting.count(Int64(metrics.value(field) ?? 0)) }
        func bytes(_ field: MetricsSummary.Field) -> String { Formatting.bytes(Int64(metrics.value(field) ?? 0)) }
        var line = "  \(events.executionID)  \(events.jobPath)  \(events.finalState ?? "RUNNING")  "
            + "\(count(.tasks)) tasks (\(count(.failedTasks)) failed), \(count(.stages)) stages, "
            + "shuffle read \(bytes(.shuffleReadBytes)) / write \(bytes(.shuffleWriteBytes))"
        let skipped = application.read.malformedLines.count
        if skipped > 0 { line += "; skipped \(skipped) malformed line\(skipped == 1 ? "" : "s")" }
        return line
    }
}
