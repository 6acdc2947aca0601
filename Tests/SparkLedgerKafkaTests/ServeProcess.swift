import Foundation
import SparkLedgerTestSupport

/// A `sparkledger serve` process whose log (standard error) goes to a file the test can read.
final class ServeProcess {
    let process = Process()
    let logPath: String

    /// `kafkaOptions`: more `--kafka-option` pairs (`key=value`); `commitEvery`: `--commit-every`.
    init(brokers: String, topic: String, group: String, db: String, logPath: String, batchRecords: Int = 50,
         commitEvery: Int = 100_000, kafkaOptions: [String] = []) throws {
        self.logPath = logPath
        guard FileManager.default.createFile(atPath: logPath, contents: nil) else {
            throw TestBroker.Missing(description: "cannot create \(logPath)")
        }
        process.executableURL = URL(fileURLWithPath: SparkLedgerBinary.path)
        process.arguments = [
            "serve", "--brokers", brokers, "--topic", topic, "--group", group, "--db", db,
            "--batch-records", String(batchRecords), "--batch-ms", "100", "--commit-every", String(commitEvery),
            "--http", "127.0.0.1:0",
            "--kafka-option", "session.timeout.ms=2000", "--kafka-option", "heartbeat.interval.ms=500",
            // A member killed with SIGKILL is waited for this long (Tansu waits the whole
            // max.poll.interval.ms, 5 minutes by default, before it rebalances without it).
            "--kafka-option", "max.poll.interval.ms=3000",
            "--kafka-option", "reconnect.backoff.max.ms=1000",
        ] + kafkaOptions.flatMap { ["--kafka-option", $0] }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        try process.run()
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// The partitions of the last "assigned" line of the log, or nil before the first one.
    var assignedPartitions: Set<Int32>? {
        guard let line = log.split(separator: "\n").last(where: { $0.contains(" assigned ") }) else { return nil }
        if line.hasSuffix("assigned no partitions") { return [] }
        let list = line[line.range(of: " assigned ")!.upperBound...]
        return Set(list.split(separator: ",").compactMap { $0.split(separator: "/").last.flatMap { Int32($0) } })
    }

    /// Whether the process blocks SIGTERM yet (`serve` does from the first line of `main`): from
    /// then on a SIGTERM waits for its handler instead of killing the process.
    var blocksSIGTERM: Bool {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigBlk:") }),
              let mask = UInt64(line.dropFirst("SigBlk:".count).trimmingCharacters(in: .whitespaces), radix: 16)
        else { return false }
        return mask & (1 << (UInt64(SIGTERM) - 1)) != 0
    }

    func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    /// Sends SIGTERM and waits; returns how long the process took to exit.
    func terminate() -> Duration {
        let sent = ContinuousClock.now
        signal(SIGTERM)
        process.waitUntilExit()
        return ContinuousClock.now - sent
    }

    /// A test that fails before it stops its process must not leave it running.
    deinit {
        if process.isRunning { killHard() }
    }

    func killHard() {
        signal(SIGKILL)
        process.waitUntilExit()
    }
}

/// Polls `condition` every 50 ms for up to `seconds`. A timeout's error ends with the last lines
/// of `serve`'s log, when given, so that a failure in CI says what the process was doing.
func waitUntil(_ what: String, seconds: Int = 60, log serve: ServeProcess? = nil, _ condition: () throws -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while try !condition() {
        guard ContinuousClock.now < deadline else {
            let tail = serve.map { "\nserve's log ends:\n" + $0.log.split(separator: "\n").suffix(30).joined(separator: "\n") } ?? ""
            throw TestBroker.Missing(description: "timed out waiting until \(what)\(tail)")
        }
        try await Task.sleep(for: .milliseconds(50))
    }
}
