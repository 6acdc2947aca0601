import Foundation

/// The `sparkledger` executable built next to the test bundle.
public enum SparkLedgerBinary {
    public static var path: String {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL,
            Bundle.main.bundleURL.deletingLastPathComponent(),
        ]
        for directory in candidates {
            let binary = directory.appendingPathComponent("sparkledger").path
            if FileManager.default.isExecutableFile(atPath: binary) { return binary }
        }
        return "sparkledger"  // fails loudly in the test that runs it
    }

    /// `run` on a thread of its own, for long runs in async tests: waiting for the process does
    /// not hold one of the cooperative pool's threads (two on this machine), which the suite's
    /// async tests — the Kafka consumers among them — need meanwhile.
    public static func runOffThePool(_ arguments: [String], input: Data? = nil, directory: String? = nil) async throws -> ProcessResult {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try run(arguments, input: input, directory: directory) })
            }
            thread.name = "sparkledger-test-process"
            thread.start()
        }
    }

    /// Runs the CLI without a terminal.
    public static func run(_ arguments: [String], input: Data? = nil, directory: String? = nil) throws -> ProcessResult {
        try ProcessRunner.run(path, arguments, input: input, environment: ["SPARKLEDGER_DB": "/nonexistent/unused.db"], directory: directory)
    }
}
