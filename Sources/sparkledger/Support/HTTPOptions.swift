import ArgumentParser
import SparkLedgerHTTP

/// `--http` and `--metrics-job-path`: shared by `serve` and `demo`.
struct HTTPOptions: ParsableArguments {
    @Option(name: .customLong("http"), help: ArgumentHelp("Where the query API and /metrics listen (port 0: any free port).", valueName: "host:port"))
    var address: String = HTTPServerConfiguration.defaultAddress

    @Option(name: .customLong("metrics-job-path"),
            help: ArgumentHelp("Keep job_path as a metric label for this job (repeatable; no job_path labels otherwise).", valueName: "job-path"))
    var metricsJobPaths: [String] = []

    func configuration() throws -> HTTPServerConfiguration {
        guard let configuration = HTTPServerConfiguration(address: address) else {
            throw ValidationError("--http \"\(address)\" is not an address: expected HOST:PORT, e.g. 127.0.0.1:8080")
        }
        return configuration
    }
}
