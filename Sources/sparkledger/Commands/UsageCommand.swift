import ArgumentParser
import SparkLedgerCore
import SparkLedgerStorage

struct UsageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "usage",
        abstract: "Daily usage per (UTC day of submit, team, job_path): runs, outcomes, cost, shuffle.",
        discussion: """
            Days are UTC and both --since and --until are inclusive. cost_usd uses the
            OpenCost default prices; core_seconds and memory_gib_seconds add executors and
            driver; spill_bytes is what spilled to disk; duration_ms_sum / duration_count
            cover finished executions only. Executions with no SUBMIT have no day and are
            not counted.

            Examples:
              sparkledger usage --team payments --since 2026-10-01 --until 2026-10-07
              sparkledger usage --format csv > usage.csv
            """
    )

    @OptionGroup var store: StoreOptions
    @Option(help: "First day, YYYY-MM-DD (inclusive).") var since: String?
    @Option(help: "Last day, YYYY-MM-DD (inclusive).") var until: String?
    @Option(help: "Only this team.") var team: String?
    @Option(name: .customLong("job"), help: ArgumentHelp("Only this job_path.", valueName: "job-path")) var job: String?
    @Option(help: "table, json or csv.") var format: OutputFormat = .table

    static let keys = ["day", "team", "job_path"] + DailyUsage.totalKeys

    static func json(_ row: DailyUsage) -> JSONObject {
        UsageGroup(day: row.key.day, team: row.key.team, jobPath: row.key.jobPath, usage: row).json
    }

    func run() throws {
        try reportingFailures {
            let filter = UsageFilter(
                since: try since.map { try TimeArgument.parseDay($0, flag: "--since") },
                until: try until.map { try TimeArgument.parseDay($0, flag: "--until") },
                team: team, jobPath: job)
            let rows = try store.open(readOnly: true).usage(filter)
            let output = StandardOutput()
            switch format {
            case .json:
                output.line(rows.isEmpty ? "[]" : "[\n" + rows.map { JSONWriter.string(.object(Self.json($0)), keyOrder: .documentOrder) }.joined(separator: ",\n") + "\n]")
            case .csv:
                output.line(CSVLine.line(Self.keys))
                for row in rows {
                    output.line(CSVLine.line(Self.json(row).members.map { CSVLine.field($0.value) }))
                }
            case .table:
                var table = TableWriter([
                    ("DAY", .left), ("TEAM", .left), ("JOB_PATH", .left), ("RUNS", .right), ("OK", .right), ("FAILED", .right),
                    ("CANCELLED", .right), ("COST", .right), ("CORE-H", .right), ("SHUFFLE READ", .right),
                    ("SHUFFLE WRITE", .right), ("SPILL", .right), ("AVG DURATION", .right),
                ])
                for row in rows {
                    table.add([
                        row.key.day.description, row.key.team, row.key.jobPath, Formatting.count(row.executions),
                        Formatting.count(row.succeeded), Formatting.count(row.failed), Formatting.count(row.cancelled),
                        Formatting.usd(row.costUSD), Formatting.count(Int64((row.coreSeconds / 3600).rounded())),
                        Formatting.bytes(row.shuffleReadBytes), Formatting.bytes(row.shuffleWriteBytes), Formatting.bytes(row.spillBytes),
                        Formatting.duration(milliseconds: row.durationCount > 0 ? row.durationMsSum / row.durationCount : nil),
                    ])
                }
                if rows.isEmpty { output.line("no usage in that range") } else { table.render(to: output) }
            }
            output.flush()
        }
    }
}
