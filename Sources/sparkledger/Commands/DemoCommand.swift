import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import SparkLedgerCore
import SparkLedgerIngest
import SparkLedgerStorage

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Ingest the bundled history (replay/) into the default store, summarise it and serve it on 127.0.0.1:8080.",
        discussion: """
            The main job on the embedded default: SQLite under ./.sparkledger/, the
            committed replay segments in ./replay/ verified against their manifest and
            ingested (again: ingest is idempotent, so a second run finds only duplicates),
            then a summary: executions by state, top teams by cost, the slowest jobs and
            time to start per vendor. Then it serves the query API and /metrics on --http
            (default 127.0.0.1:8080) and prints the URLs, until Ctrl-C; --no-serve stops
            after the summary.

            Examples:
              sparkledger demo
              sparkledger demo --http 127.0.0.1:9090
              sparkledger demo --db /tmp/demo.db --history replay --no-serve
            """
    )

    @OptionGroup var store: StoreOptions
    @Option(help: ArgumentHelp("Directory of replay segments with a manifest.json.", valueName: "dir")) var history = "replay"
    @OptionGroup var http: HTTPOptions
    @OptionGroup var otlp: OTLPOptions
    @Flag(help: "Stop after the summary instead of serving.") var noServe = false

    func validate() throws {
        _ = try http.configuration()
    }

    func run() throws {
        try reportingFailures {
            guard FileManager.default.fileExists(atPath: history + "/manifest.json") else {
                throw CommandFailure("\(history)/manifest.json not found: run the demo from the repository root or pass --history DIR")
            }
            let eventStore = try store.open()
            let output = StandardOutput()
            output.line("SparkLedger demo: ingesting \(history)/ into \(eventStore.path)")
            output.flush()
            let progress = IngestProgress()
            let display = ProgressDisplay(progress: progress)
            display.start()
            let report: IngestReport
            do {
                report = try FileIngestor(store: eventStore).ingest([history], progress: progress)
                display.stop()
            } catch {
                display.stop()
                throw CommandFailure("\(error)")
            }
            IngestSummary.printText(report, to: output)
            output.line()
            try DemoSummary(store: eventStore).print(to: output)
            output.line()
            output.line("Next:")
            output.line("  sparkledger executions --state failed --limit 10     what failed, newest first")
            output.line("  sparkledger execution ID --events                      one execution and its event history")
            output.line("  sparkledger usage --team payments                      daily cost and shuffle of a team")
            output.line("  sparkledger quarantine                                 what was rejected, and why")
            output.line("  sparkledger replay                                     rebuild everything from the log and compare")
            output.flush()
            guard !noServe else { return }
            output.line()
            let services = try HTTPServing.services(store: eventStore, options: http, otlp: otlp, logger: Self.logger) { line in
                let announcement = StandardOutput()
                announcement.line(line)
                announcement.flush()
            }
            try runBlocking {
                let group = ServiceGroup(configuration: ServiceGroupConfiguration(
                    services: services, gracefulShutdownSignals: [], cancellationSignals: [], logger: Self.logger))
                ShutdownSignals.shared.onSignal { _ in Task { await group.triggerGracefulShutdown() } }
                do {
                    try await group.run()
                } catch {
                    guard let failure = try? http.configuration().listenFailure(error) else { throw error }
                    throw CommandFailure("demo: " + failure)
                }
            }
        }
    }

    private static let logger: Logger = {
        var logger = Logger(label: "sparkledger.demo")
        logger.logLevel = .warning
        return logger
    }()
}

/// The demo's readable summary, computed from the daily usage projection.
struct DemoSummary {
    let store: SQLiteEventStore

    func print(to output: StandardOutput) throws {
        let statistics = try store.statistics()
        let rows = try store.dailyUsage()
        output.line("The store holds \(Formatting.count(statistics.events)) events of \(Formatting.count(statistics.executions)) executions; \(Formatting.count(statistics.quarantined)) records are quarantined.")
        if let first = rows.first?.key.day, let last = rows.last?.key.day {
            output.line("Submitted from \(first) to \(last) (UTC).")
        }
        output.line()

        var total = DailyUsage(key: DailyUsageKey(day: UTCDay(daysSinceEpoch: 0), team: "", jobPath: "", namespace: "", vendor: ""))
        for row in rows { total.add(row) }
        let incomplete = statistics.executions - total.executions
        output.line("Executions by state")
        var states = TableWriter([("STATE", .left), ("EXECUTIONS", .right), ("SHARE", .right)])
        for (name, count) in [("SUCCEEDED", total.succeeded), ("FAILED", total.failed), ("CANCELLED", total.cancelled),
                              ("RUNNING", total.activeRunning), ("SUBMITTED", total.activeSubmitted), ("no SUBMIT yet", incomplete)] {
            states.add([name, Formatting.count(count), statistics.executions > 0
                ? String(format: "%.1f%%", Double(count) / Double(statistics.executions) * 100) : "-"])
        }
        states.render(to: output)
        output.line()

        output.line("Top teams by cost")
        var teams = TableWriter([("TEAM", .left), ("RUNS", .right), ("COST", .right), ("CORE-HOURS", .right), ("SHUFFLE READ", .right)])
        for (team, usage) in grouped(rows, by: \.team).sorted(by: { $0.value.costUSD > $1.value.costUSD }).prefix(5) {
            teams.add([team, Formatting.count(usage.executions), Formatting.usd(usage.costUSD),
                       Formatting.count(Int64((usage.coreSeconds / 3600).rounded())), Formatting.bytes(usage.shuffleReadBytes)])
        }
        teams.render(to: output)
        output.line()

        output.line("Slowest jobs (mean duration of finished runs)")
        var jobs = TableWriter([("JOB_PATH", .left), ("RUNS", .right), ("MEAN DURATION", .right), ("MEAN COST", .right), ("FAILED", .right)])
        let slowest = grouped(rows, by: \.jobPath).filter { $0.value.durationCount > 0 }
            .sorted { $0.value.durationMsSum / $0.value.durationCount > $1.value.durationMsSum / $1.value.durationCount }
        for (job, usage) in slowest.prefix(5) {
            jobs.add([job, Formatting.count(usage.executions),
                      Formatting.duration(milliseconds: usage.durationMsSum / usage.durationCount),
                      Formatting.usd(usage.costUSD / Double(max(1, usage.executions))), Formatting.count(usage.failed)])
        }
        jobs.render(to: output)
        output.line()

        output.line("Time from submit to running, per vendor")
        var vendors = TableWriter([("VENDOR", .left), ("STARTED", .right), ("MEAN QUEUE", .right), ("≤ 30 s", .right)])
        for (vendor, usage) in grouped(rows, by: \.vendor).sorted(by: { $0.key < $1.key }) where usage.queueCount > 0 {
            let withinThirtySeconds = usage.queueTimes.counts.prefix(3).reduce(0, +)
            vendors.add([vendor, Formatting.count(usage.queueCount), Formatting.duration(milliseconds: usage.queueMsSum / usage.queueCount),
                         String(format: "%.0f%%", Double(withinThirtySeconds) / Double(usage.queueCount) * 100)])
        }
        vendors.render(to: output)
    }

    private func grouped(_ rows: [DailyUsage], by key: KeyPath<DailyUsageKey, String>) -> [String: DailyUsage] {
        var groups: [String: DailyUsage] = [:]
        for row in rows {
            let name = row.key[keyPath: key]
            groups[name, default: DailyUsage(key: DailyUsageKey(day: row.key.day, team: "", jobPath: "", namespace: "", vendor: ""))].add(row)
        }
        return groups
    }
}
