import ArgumentParser
import Glibc
import SparkLedgerStorage

@main
struct SparkLedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sparkledger",
        abstract: "The execution history and metrics pipeline of the Spark-on-Kubernetes platform.",
        discussion: """
            SparkLedger keeps the append-only log of ExecutionEvents written by the job
            runner and the Spark Kubernetes Operator, folds it into execution snapshots
            and daily usage, and can rebuild all of that from the log at any time.

            Start with:
              sparkledger demo                                  ingest the bundled history and summarise it
              sparkledger executions --team ads --limit 20      what ran, newest first
              sparkledger usage --team payments --since 2026-10-01
            """,
        version: "0.1.0",
        subcommands: [
            DemoCommand.self, IngestCommand.self, ExecutionsCommand.self, ExecutionCommand.self, UsageCommand.self,
            QuarantineCommand.self, ReplayCommand.self, ExportCommand.self, GenerateCommand.self, ServeCommand.self,
            ProduceCommand.self, RecommendCommand.self, BacktestCommand.self, ImportSparkEventLogCommand.self,
        ]
    )

    /// Synchronous on purpose: no other thread exists yet, so signals blocked here are blocked in
    /// every thread the process ever starts (an async main already runs on a thread pool).
    static func main() {
        // Before any thread or database connection exists (see SQLiteProcessMode).
        SQLiteProcessMode.useMultiThreadMode()
        // A file-size limit (ulimit -f) must fail the write, which SQLite reports and the store
        // rolls back, rather than kill the process mid-transaction.
        signal(SIGXFSZ, SIG_IGN)
        let arguments = Array(CommandLine.arguments.dropFirst())
        // `serve` and `demo` catch SIGTERM and SIGINT from here on, so that one sent while they
        // start is not lost.
        if let command = arguments.first, [ServeCommand.configuration.commandName, DemoCommand.configuration.commandName].contains(command) {
            _ = ShutdownSignals.shared
        }
        main(arguments)
    }
}
