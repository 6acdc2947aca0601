import ArgumentParser
import Foundation
import SparkLedgerCore
import SparkLedgerStorage

struct RecommendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommend",
        abstract: "Recommend a job's next request (executor and driver size, dynamic allocation) from its history.",
        discussion: """
            What APS asks before a submit. Each field gets a lower bound, a target and an
            upper bound, with the reason; the recommendation a confidence (0 to 1, from
            how many runs and how recent) and the expected cost per run under the current
            request and under the recommendation. The current request is the job's latest
            SUBMIT unless --current gives one (a SUBMIT `resources` object as JSON).
            docs/SIZING.md explains the model.

            Examples:
              sparkledger recommend payments/etl/ledger_daily_rollup
              sparkledger recommend payments/etl/ledger_daily_rollup --as-of 2026-10-15 --format json
              sparkledger recommend ads/features/clicks_enrich --current '{"executor":{"memory_mb":16384,"cores":4}}'
            """
    )

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("The job_path.", valueName: "job-path")) var jobPath: String
    @Option(name: .customLong("as-of"), help: "Recommend as of this time (default now); only earlier runs count.") var asOf: String?
    @Option(help: ArgumentHelp("The job's current request: a SUBMIT resources object as JSON.", valueName: "json")) var current: String?
    @Option(help: "table or json.") var format: Format = .table

    enum Format: String, ExpressibleByArgument { case table, json }

    func run() throws {
        try reportingFailures {
            let time = try asOf.map { try TimeArgument.parse($0, flag: "--as-of") } ?? StoreConfiguration.systemClock()
            let request = try current.map { text -> RequestedResources in
                do {
                    return try RequestedResources(json: text)
                } catch {
                    throw CommandFailure("--current is not a resources object: \(error)")
                }
            }
            let recommender = JobRecommender(store: try store.open(readOnly: true))
            guard let recommendation = try recommender.recommend(jobPath: jobPath, current: request, asOf: time) else {
                throw CommandFailure("no execution of job_path \"\(jobPath)\" in \(store.path)")
            }
            let output = StandardOutput()
            switch format {
            case .json:
                output.line(JSONWriter.prettyString(.object(recommendation.json)))
            case .table:
                output.line("\(jobPath) as of \(Formatting.time(time)): confidence \(String(format: "%.2f", recommendation.confidence)) "
                    + "(\(recommendation.evidence.successfulRuns) successful of \(recommendation.evidence.runs) runs in the window)")
                if let note = recommendation.note { output.line(note) }
                var table = TableWriter([("FIELD", .left), ("CURRENT", .right), ("LOWER", .right), ("TARGET", .right), ("UPPER", .right), ("WHY", .left)])
                for (name, value) in [
                    ("executor memory MiB", recommendation.executorMemoryMB), ("executor cores", recommendation.executorCores),
                    ("executor CPU millicores", recommendation.executorCPURequestMillicores),
                    ("min executors", recommendation.minExecutors), ("initial executors", recommendation.initialExecutors),
                    ("max executors", recommendation.maxExecutors), ("driver memory MiB", recommendation.driverMemoryMB),
                    ("driver cores", recommendation.driverCores),
                ] {
                    table.add([name, value.current.map(String.init) ?? "-", String(value.lower), String(value.target), String(value.upper), value.reason])
                }
                table.render(to: output)
                output.line("spark conf: " + recommendation.sparkConf.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
                if let now = recommendation.expectedCostCurrentUSD, let then = recommendation.expectedCostRecommendedUSD {
                    output.line("expected cost per run: \(Formatting.usd(now)) as requested, \(Formatting.usd(then)) as recommended"
                        + (now > 0 ? String(format: " (%.0f%% less)", (now - then) / now * 100) : ""))
                }
            }
            output.flush()
        }
    }
}
