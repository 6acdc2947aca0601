import ArgumentParser
import Foundation
import SparkLedgerCore
import SparkLedgerStorage

struct BacktestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Score the sizing recommendations against history: would they have saved money without failures?",
        discussion: """
            Walks each job's history in time order and, for every finished run, recommends
            from strictly earlier runs only, then scores the recommendation against what
            the run did: under-provisioned (its peak executor memory above the recommended
            memory, or more executors than the recommended max), avoided OOMs
            (out-of-memory runs whose peak fits the recommendation) and the cost of the
            run as requested and as recommended (contract section 6). Runs before a job
            has successful history are not scored. --since limits the scored runs; earlier
            runs still count as evidence.

            Examples:
              sparkledger backtest
              sparkledger backtest --job payments/etl/ledger_daily_rollup --format json
              sparkledger backtest --since 2026-10-01 --format json | jq .total
            """
    )

    @OptionGroup var store: StoreOptions
    @Option(name: .customLong("job"), help: ArgumentHelp("Only this job_path.", valueName: "job-path")) var job: String?
    @Option(help: "Score runs submitted at or after this time.") var since: String?
    @Option(help: "table or json.") var format: Format = .table

    enum Format: String, ExpressibleByArgument { case table, json }

    func run() throws {
        try reportingFailures {
            let eventStore = try store.open(readOnly: true)
            let from = try since.map { try TimeArgument.parse($0, flag: "--since") }
            let backtest = SizingBacktest()
            let lookback = backtest.model.policy.lookbackDays * SizingPolicy.millisecondsPerDay
            let jobs = try job.map { [$0] } ?? eventStore.jobPaths()
            if let job, try eventStore.jobVersion(job) == nil { throw CommandFailure("no execution of job_path \"\(job)\" in \(eventStore.path)") }
            var total = SizingBacktest.Score()
            var scores: [(String, SizingBacktest.Score)] = []
            for jobPath in jobs {
                let runs = try eventStore.sizingRuns(jobPath: jobPath, since: from.map { $0 - lookback })
                let score = backtest.score(jobPath: jobPath, runs: runs, from: from)
                total.add(score)
                scores.append((jobPath, score))
            }
            let output = StandardOutput()
            switch format {
            case .json:
                output.line(JSONWriter.prettyString(.object(JSONObject([
                    .init("total", .object(JSONObject(total.jsonMembers))),
                    .init("jobs", .array(scores.map { .object(JSONObject([.init("job_path", .string($0.0))] + $0.1.jsonMembers)) })),
                ]))))
            case .table:
                var table = TableWriter([("JOB_PATH", .left), ("SCORED", .right), ("UNDER", .right), ("UNDER %", .right),
                                         ("OOMS AVOIDED", .right), ("COST REQUESTED", .right), ("COST RECOMMENDED", .right), ("SAVING", .right)])
                func add(_ name: String, _ score: SizingBacktest.Score) {
                    table.add([name, Formatting.count(Int64(score.runsScored)), Formatting.count(Int64(score.underProvisioned)),
                               String(format: "%.2f%%", score.underProvisionedPercent), Formatting.count(Int64(score.avoidedOOMs)),
                               Formatting.usd(score.costRequestedUSD), Formatting.usd(score.costRecommendedUSD),
                               String(format: "%.1f%%", score.savingPercent)])
                }
                for (jobPath, score) in scores { add(jobPath, score) }
                add("TOTAL", total)
                table.render(to: output)
            }
            output.flush()
        }
    }
}
