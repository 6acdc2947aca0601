import ArgumentParser
import SparkLedgerCore
import SparkLedgerStorage

extension ExecutionState: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(rawValue: argument.uppercased())
    }
}

struct ExecutionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "executions",
        abstract: "List executions, newest submit first.",
        discussion: """
            Filters combine. Times are \(TimeArgument.help); they bound submit_time,
            --since inclusive and --until exclusive. The table shows 50 rows unless
            --limit says otherwise; json and csv print every match unless limited. JSON
            keys are the contract's snake_case snapshot fields; times are epoch
            milliseconds; absent values are null.

            Examples:
              sparkledger executions --team ads --state failed --since 7d
              sparkledger executions --job payments/etl/ledger_daily_rollup --format csv > runs.csv
              sparkledger executions --format json --since 2026-10-01 --until 2026-10-02 | jq length
            """
    )

    @OptionGroup var store: StoreOptions
    @Option(help: "Only this team.") var team: String?
    @Option(name: .customLong("job"), help: ArgumentHelp("Only this job_path.", valueName: "job-path")) var job: String?
    @Option(help: "Only this state: submitted, running, succeeded, failed or cancelled.") var state: ExecutionState?
    @Option(help: "Submitted at or after this time.") var since: String?
    @Option(help: "Submitted before this time.") var until: String?
    @Option(help: "At most this many rows.") var limit: Int?
    @Option(help: "table, json or csv.") var format: OutputFormat = .table
    @Flag(help: "Oldest submit first.") var oldestFirst = false

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more, got \(limit).") }
    }

    func run() throws {
        try reportingFailures {
            let filter = ExecutionFilter(
                team: team, jobPath: job, state: state,
                submittedSince: try since.map { try TimeArgument.parse($0, flag: "--since") },
                submittedUntil: try until.map { try TimeArgument.parse($0, flag: "--until") },
                limit: limit ?? (format == .table ? 50 : nil), newestFirst: !oldestFirst)
            let eventStore = try store.open(readOnly: true)
            let output = StandardOutput()
            switch format {
            case .json:
                var first = true
                output.write("[")
                try eventStore.forEachExecution(filter) { execution in
                    output.write(first ? "\n" : ",\n")
                    first = false
                    output.write(JSONWriter.bytes(.object(execution.contractJSON), keyOrder: .documentOrder))
                }
                output.line(first ? "]" : "\n]")
            case .csv:
                output.line(CSVLine.line(ExecutionSnapshot.contractKeys))
                try eventStore.forEachExecution(filter) { execution in
                    output.line(CSVLine.line(execution.contractJSON.members.map { CSVLine.field($0.value) }))
                }
            case .table:
                var table = TableWriter([
                    ("EXECUTION_ID", .left), ("JOB_PATH", .left), ("TEAM", .left), ("VENDOR", .left), ("STATE", .left),
                    ("SUBMITTED", .left), ("QUEUE", .right), ("DURATION", .right), ("COST", .right),
                ])
                try eventStore.forEachExecution(filter) { execution in
                    let s = execution.snapshot
                    table.add([
                        s.executionID, s.jobPath ?? "(no SUBMIT yet)", s.team ?? "-", s.vendor?.rawValue ?? "-",
                        s.state.rawValue + (s.attempt > 1 ? " #\(s.attempt)" : ""), Formatting.time(s.submitTime),
                        Formatting.duration(milliseconds: s.queueMs), Formatting.duration(milliseconds: s.durationMs),
                        Formatting.usd(execution.costUSD),
                    ])
                }
                if table.rows.isEmpty {
                    output.line("no executions match")
                } else {
                    table.render(to: output)
                    if limit == nil && table.rows.count == 50 {
                        output.line("(the 50 newest; --limit N shows more, --format json or csv shows all)")
                    }
                }
            }
            output.flush()
        }
    }
}
