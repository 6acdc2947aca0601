import Foundation
import SparkLedgerCore
import SparkLedgerTestSupport
import Testing

/// The `sparkledger` executable, run as users and scripts run it.
@Suite(.serialized) struct CommandLineTests {
    let directory = TemporaryDirectory("sparkledger-e2e")

    private func run(_ arguments: [String], input: Data? = nil) throws -> ProcessResult {
        try SparkLedgerBinary.run(arguments, input: input, directory: directory.path)
    }

    private func json(_ result: ProcessResult) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(result.output.utf8))
    }

    private func int(_ value: Any?) -> Int64? { (value as? NSNumber)?.int64Value }

    /// Thousands separators, as the CLI prints counts.
    private enum Formatting {
        static func count(_ value: Int64) -> String {
            let digits = String(value)
            var grouped = ""
            for (index, character) in digits.enumerated() {
                if index > 0 && (digits.count - index) % 3 == 0 { grouped.append(",") }
                grouped.append(character)
            }
            return grouped
        }
    }

    @Test func generateIngestAndQueryAgreeWithAnIndependentModel() throws {
        let plain = directory.file("history.ndjson")
        let compressed = directory.file("history.ndjson.zst")
        let db = directory.file("e2e.db")
        #expect(try run(["generate", "--executions", "400", "--seed", "12", "--late-rate", "0.05", "--out", plain]).status == 0)
        #expect(try run(["generate", "--executions", "400", "--seed", "12", "--late-rate", "0.05", "--out", compressed]).status == 0)
        let lines = try String(contentsOfFile: plain, encoding: .utf8).split(separator: "\n").map { Data($0.utf8) }
        let model = ReferenceModel(lines: lines, isAccepted: { _ in true })

        // Ingest: every distinct event accepted once, the rest counted as duplicates.
        let ingest = try run(["ingest", "--db", db, "--format", "json", compressed])
        try #require(ingest.status == 0, "\(ingest.error)")
        let summary = try #require(try json(ingest) as? [String: Any])
        let distinct = model.executions.values.reduce(0) { $0 + $1.events }
        #expect(int(summary["accepted"]) == Int64(distinct))
        #expect(int(summary["duplicates"]) == Int64(lines.count - distinct))
        #expect(int(summary["quarantined_total"]) == 0)

        // Every snapshot, field by field.
        let listing = try run(["executions", "--db", db, "--format", "json"])
        try #require(listing.status == 0, "\(listing.error)")
        let snapshots = try #require(try json(listing) as? [[String: Any]])
        #expect(snapshots.count == model.executions.count)
        let keysInOrder = listing.output.split(separator: "\n").dropFirst().first.map { line in
            (try? JSONParser.parse(String(line.hasSuffix(",") ? line.dropLast() : line)))?.objectValue?.keys ?? []
        } ?? []
        #expect(keysInOrder == ExecutionSnapshot.contractKeys)
        for snapshot in snapshots {
            let id = snapshot["execution_id"] as? String ?? ""
            let expected = try #require(model.executions[id], "\(id) not in the model")
            #expect(snapshot["state"] as? String == expected.state, "\(id)")
            #expect(snapshot["final_by"] as? String == expected.finalBy, "\(id)")
            #expect(int(snapshot["attempt"]) == expected.attempt, "\(id)")
            #expect(int(snapshot["submit_time"]) == expected.submitTime, "\(id)")
            #expect(int(snapshot["start_time"]) == expected.startTime, "\(id)")
            #expect(int(snapshot["end_time"]) == expected.endTime, "\(id)")
            #expect(int(snapshot["queue_ms"]) == expected.queueMs, "\(id)")
            #expect(int(snapshot["duration_ms"]) == expected.durationMs, "\(id)")
            #expect(int(snapshot["event_count"]) == Int64(expected.events), "\(id)")
            #expect(snapshot["incomplete"] as? Bool == !expected.hasSubmit, "\(id)")
            #expect(snapshot["job_path"] as? String == expected.jobPath, "\(id)")
            if let cost = expected.cost {
                let stored = (snapshot["cost_usd"] as? NSNumber)?.doubleValue ?? -1
                #expect(abs(stored - cost) <= 1e-12 * max(1, cost), "\(id): \(stored) vs \(cost)")
            } else {
                #expect(snapshot["cost_usd"] is NSNull, "\(id)")
            }
            #expect((snapshot["metrics"] is NSNull) == (expected.metrics == nil), "\(id)")
        }

        // Daily usage per (day, team, job_path), computed from the model.
        var expectedUsage: [String: (runs: Int64, ok: Int64, failed: Int64, cancelled: Int64, cost: Double, durationSum: Int64, durationCount: Int64, tasks: Int64)] = [:]
        for execution in model.executions.values where execution.hasSubmit {
            let day = UTCDay(containing: execution.submitTime ?? 0).description
            let key = "\(day)|\(execution.team ?? "")|\(execution.jobPath ?? "")"
            var row = expectedUsage[key] ?? (0, 0, 0, 0, 0, 0, 0, 0)
            row.runs += 1
            if execution.state == "SUCCEEDED" { row.ok += 1 }
            if execution.state == "FAILED" { row.failed += 1 }
            if execution.state == "CANCELLED" { row.cancelled += 1 }
            row.cost += execution.cost ?? 0
            if ["SUCCEEDED", "FAILED", "CANCELLED"].contains(execution.state), let duration = execution.durationMs {
                row.durationSum += duration
                row.durationCount += 1
            }
            row.tasks += Int64(execution.metrics?["tasks"] ?? 0)
            expectedUsage[key] = row
        }
        let usage = try run(["usage", "--db", db, "--format", "json"])
        let rows = try #require(try json(usage) as? [[String: Any]])
        #expect(rows.count == expectedUsage.count)
        for row in rows {
            let key = "\(row["day"] as? String ?? "")|\(row["team"] as? String ?? "")|\(row["job_path"] as? String ?? "")"
            let expected = try #require(expectedUsage[key], "\(key)")
            #expect(int(row["executions"]) == expected.runs, "\(key)")
            #expect(int(row["succeeded"]) == expected.ok && int(row["failed"]) == expected.failed && int(row["cancelled"]) == expected.cancelled, "\(key)")
            #expect(int(row["duration_ms_sum"]) == expected.durationSum && int(row["duration_count"]) == expected.durationCount, "\(key)")
            #expect(int(row["tasks"]) == expected.tasks, "\(key)")
            let cost = (row["cost_usd"] as? NSNumber)?.doubleValue ?? -1
            #expect(abs(cost - expected.cost) <= 1e-9 * max(1, expected.cost), "\(key)")
            #expect(Set(row.keys) == Set(["day", "team", "job_path", "executions", "succeeded", "failed", "cancelled", "cost_usd", "core_seconds",
                                          "memory_gib_seconds", "shuffle_read_bytes", "shuffle_write_bytes", "shuffle_fetch_failures", "spill_bytes",
                                          "tasks", "failed_tasks", "duration_ms_sum", "duration_count"]))
        }

        // Filters, limits, CSV and one execution with its events.
        let filtered = try #require(try json(run(["executions", "--db", db, "--team", "ads", "--state", "succeeded", "--limit", "5", "--format", "json"])) as? [[String: Any]])
        #expect(filtered.count == 5)
        #expect(filtered.allSatisfy { $0["team"] as? String == "ads" && $0["state"] as? String == "SUCCEEDED" })
        let times = filtered.compactMap { int($0["submit_time"]) }
        #expect(times == times.sorted(by: >))
        let csv = try run(["executions", "--db", db, "--format", "csv"]).output.split(separator: "\n")
        #expect(csv.first.map(String.init) == ExecutionSnapshot.contractKeys.joined(separator: ","))
        #expect(csv.count == model.executions.count + 1)
        let someID = try #require(filtered.first?["execution_id"] as? String)
        let detail = try #require(try json(run(["execution", someID, "--db", db, "--events"])) as? [String: Any])
        let events = try #require(detail["events"] as? [[String: Any]])
        #expect(Int64(events.count) == int((detail["execution"] as? [String: Any])?["event_count"]))
        let stamps = events.compactMap { int($0["timestamp"]) }
        #expect(stamps == stamps.sorted())

        // The log alone rebuilds the same projections.
        let replay = try #require(try json(run(["replay", "--db", db, "--format", "json"])) as? [String: Any])
        #expect(replay["identical"] as? Bool == true)
        #expect(int(replay["events"]) == Int64(distinct))
    }

    @Test func standardInputExportAndReingest() throws {
        let db = directory.file("a.db")
        let copy = directory.file("b.db")
        let history = try run(["generate", "--executions", "150", "--seed", "3"])
        try #require(history.status == 0)
        let ingest = try run(["ingest", "--db", db, "-"], input: Data(history.output.utf8))
        #expect(ingest.status == 0)
        #expect(ingest.output.contains("accepted"))
        let export = try run(["export", "--db", db, "--out", directory.file("export"), "--segment-events", "500"])
        #expect(export.status == 0, "\(export.error)")
        #expect(FileManager.default.fileExists(atPath: directory.file("export/manifest.json")))
        #expect(try run(["ingest", "--db", copy, directory.file("export")]).status == 0)
        let original = try #require(try json(run(["replay", "--db", db, "--dry-run", "--format", "json"])) as? [String: Any])
        let restored = try #require(try json(run(["replay", "--db", copy, "--dry-run", "--format", "json"])) as? [String: Any])
        #expect(original["digest_before"] as? String == restored["digest_before"] as? String)
        #expect(restored["identical"] as? Bool == true)
        // A second export into the same directory is refused.
        let again = try run(["export", "--db", db, "--out", directory.file("export")])
        #expect(again.status == 1 && again.error.contains("already holds an export"))
    }

    @Test func quarantinedEventsAreDataNotFailures() throws {
        let db = directory.file("q.db")
        let bad = directory.file("bad.ndjson")
        let lines = [
            "{not json", "[1,2]",
            #"{"event_id":"e1","execution_id":"with space","event_type":"RUNNING","timestamp":1790000000000,"source":"runner","schema_version":1,"payload":{}}"#,
            #"{"event_id":"e2","execution_id":"x","event_type":"RUNNING","timestamp":1790000000000,"source":"runner","schema_version":1,"payload":{}}"#,
        ]
        try (lines.joined(separator: "\n") + "\n").write(toFile: bad, atomically: true, encoding: .utf8)
        let ingest = try run(["ingest", "--db", db, bad])
        #expect(ingest.status == 0)
        #expect(ingest.output.contains("accepted     1"))
        #expect(ingest.output.contains("malformed"))
        let entries = try #require(try json(run(["quarantine", "--db", db, "--format", "json"])) as? [[String: Any]])
        #expect(entries.count == 3)
        #expect(entries.map { $0["reason"] as? String } == ["malformed", "malformed", "invalid_envelope"])
        #expect(entries.map { $0["origin"] as? String } == ["file:\(bad):1", "file:\(bad):2", "file:\(bad):3"])
        #expect(entries.first?["raw"] as? String == "{not json")
        #expect(entries.allSatisfy { Set($0.keys) == ["reason", "origin", "raw", "detail"] })
        let table = try run(["quarantine", "--db", db])
        #expect(table.output.contains("count per reason:"))
        #expect(table.output.contains("invalid_envelope"))
    }

    @Test func failuresAreOneLineThatNamesTheThing() throws {
        let db = directory.file("f.db")
        let missing = directory.file("missing.ndjson")
        let result = try run(["ingest", "--db", db, missing])
        #expect(result.status == 1)
        #expect(result.error.hasPrefix("error: \(missing): cannot open"))
        #expect(result.error.split(separator: "\n").count == 1)
        let badTime = try run(["executions", "--db", db, "--since", "last tuesday"])
        #expect(badTime.status == 1)
        #expect(badTime.error.contains("--since \"last tuesday\" is not a time"))
        let noDB = try run(["executions", "--db", directory.file("none.db")])
        #expect(noDB.status == 1 && noDB.error.contains("no database at"))
        let unknown = try run(["execution", "nope", "--db", db])
        #expect(unknown.status == 1 && unknown.error.contains("no execution \"nope\""))
        // Serving (no --brokers) a database that does not exist is refused, not created empty.
        let noStore = directory.file("typo.db")
        let serve = try run(["serve", "--db", noStore, "--http", "127.0.0.1:0"])
        #expect(serve.status == 1 && serve.error.contains("no database at \(noStore)"), "\(serve.error)")
        #expect(!FileManager.default.fileExists(atPath: noStore))
        let badAddress = try run(["serve", "--db", db, "--http", "localhost"])
        #expect(badAddress.status == 64 && badAddress.error.contains("--http \"localhost\" is not an address"), "\(badAddress.error)")
        // A port another process holds: one line naming the address and what to do.
        let served = directory.file("served.db")
        #expect(try run(["ingest", "--db", served, "/dev/null"]).status == 0)
        let taken = try #require(LoopbackListener())
        let busy = try run(["serve", "--db", served, "--http", "127.0.0.1:\(taken.port)"])
        #expect(busy.status == 1, "\(busy.error)")
        #expect(busy.error.hasSuffix("\nerror: serve: cannot listen on 127.0.0.1:\(taken.port): the address is in use (another serve or demo?); --http HOST:PORT picks another, port 0 any free one\n"), "\(busy.error)")
        let badOTLP = try run(["serve", "--db", db, "--otlp-endpoint", "collector:4318"])
        #expect(badOTLP.status == 64 && badOTLP.error.contains("--otlp-endpoint"), "\(badOTLP.error)")
    }

    @Test func aFullDiskKeepsWhatWasCommitted() throws {
        let db = directory.file("full.db")
        let history = directory.file("h.ndjson")
        #expect(try run(["generate", "--executions", "1000", "--out", history]).status == 0)
        // A file-size limit (4000 blocks: 2 MB in dash; an empty store is ~25 16-KiB pages, and
        // its WAL as much again) stands in for a full disk.
        let result = try ProcessRunner.run("/bin/sh", ["-c", "ulimit -f 4000; exec \"$0\" ingest --db \"$1\" --commit-every 200 \"$2\"", SparkLedgerBinary.path, db, history])
        #expect(result.status == 1)
        #expect(result.error.contains("while writing \(db)"))
        #expect(result.error.contains("records committed before it stay"))
        let kept = try #require(try json(run(["replay", "--db", db, "--dry-run", "--format", "json"])) as? [String: Any])
        #expect(int(kept["events"]) ?? 0 > 0)
        #expect(kept["identical"] as? Bool == true)
    }

    @Test func aTerminalGetsAProgressBarAndAPipeDoesNot() throws {
        let db = directory.file("p.db")
        let history = directory.file("p.ndjson.zst")
        #expect(try run(["generate", "--executions", "3000", "--out", history]).status == 0)
        // script(1) runs the command on a pseudo-terminal, as an interactive shell would.
        let command = "'\(SparkLedgerBinary.path)' ingest --db '\(db)' '\(history)'"
        let onTerminal = try ProcessRunner.run("script", ["-qec", command, "/dev/null"])
        #expect(onTerminal.status == 0, "\(onTerminal.error)")
        #expect(onTerminal.output.contains("\r\u{1B}[2K["), "no progress bar drawn")
        #expect(onTerminal.output.contains("records"))
        let piped = try run(["ingest", "--db", directory.file("q.db"), history])
        #expect(!piped.output.contains("\u{1B}["))
        #expect(!piped.output.contains("\r"))
    }

    @Test func theDemoIngestsTheBundledHistoryAndSummarisesIt() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("replay/manifest.json"))) as? [String: Any])
        let db = directory.file("demo.db")
        let first = try run(["demo", "--db", db, "--history", root.appendingPathComponent("replay").path, "--no-serve"])
        #expect(first.status == 0, "\(first.error)")
        #expect(first.output.contains("accepted     \(Formatting.count(int(manifest["events"]) ?? 0))"))
        for section in ["Executions by state", "Top teams by cost", "Slowest jobs", "Time from submit to running, per vendor", "Next:"] {
            #expect(first.output.contains(section), "\(section)")
        }
        // Ingest is idempotent: a second demo finds only duplicates and the same summary; then it
        // serves the history over HTTP until SIGTERM.
        let stored = try run(["executions", "--db", db, "--format", "json"])
        let executions = try #require(try JSONSerialization.jsonObject(with: Data(stored.output.utf8)) as? [Any]).count
        #expect(executions > 100)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: SparkLedgerBinary.path)
        process.arguments = ["demo", "--db", db, "--history", root.appendingPathComponent("replay").path, "--http", "127.0.0.1:0"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        var printed = ""
        var base: String?
        let deadline = Date().addingTimeInterval(120)
        while base == nil, Date() < deadline, process.isRunning {
            let chunk = output.fileHandleForReading.availableData
            printed += String(decoding: chunk, as: UTF8.self)
            if let match = printed.firstMatch(of: /serving the history on (http:\/\/127\.0\.0\.1:[0-9]+)/) { base = String(match.1) }
        }
        let url = try #require(base.flatMap { URL(string: $0 + "/api/v1/executions?limit=1000") }, "demo printed: \(printed)")
        let body = try Data(contentsOf: url)
        let listed = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect((listed["executions"] as? [Any])?.count == min(1000, executions))
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        printed += String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(printed.contains("accepted     0"))
        #expect(printed.components(separatedBy: "Executions by state").last?.components(separatedBy: "Next:").first
            == first.output.components(separatedBy: "Executions by state").last?.components(separatedBy: "Next:").first)
        for endpoint in ["/api/v1/executions", "/metrics", "/readyz"] { #expect(printed.contains(endpoint)) }
        let missing = try run(["demo", "--db", db, "--history", directory.file("nowhere")])
        #expect(missing.status == 1 && missing.error.contains("manifest.json not found"))
    }

    @Test(arguments: ["demo", "ingest", "executions", "execution", "usage", "quarantine", "replay", "export", "generate", "serve", "produce", "recommend", "backtest", "import-spark-eventlog"])
    func everyCommandHasHelpWithAnExample(command: String) throws {
        let help = try run([command, "--help"])
        #expect(help.status == 0)
        #expect(help.output.contains("Examples:"))
        #expect(help.output.contains("sparkledger \(command)"))
    }

    @Test func recommendAndBacktestSpeakJSONForScripts() throws {
        let db = directory.file("sizing.db")
        let history = directory.file("sizing.ndjson")
        #expect(try run(["generate", "--executions", "1500", "--seed", "4", "--out", history]).status == 0)
        #expect(try run(["ingest", "--db", db, history]).status == 0)
        let executions = try #require(try json(run(["executions", "--db", db, "--format", "json"])) as? [[String: Any]])
        let jobs = Dictionary(grouping: executions.compactMap { $0["job_path"] as? String }, by: { $0 })
        let job = try #require(jobs.max { $0.value.count < $1.value.count }?.key)

        let recommended = try run(["recommend", job, "--db", db, "--as-of", "2026-11-01", "--format", "json"])
        #expect(recommended.status == 0, "\(recommended.error)")
        let recommendation = try #require(try json(recommended) as? [String: Any])
        #expect(recommendation["job_path"] as? String == job)
        let memory = try #require((recommendation["executor"] as? [String: Any])?["memory_mb"] as? [String: Any])
        #expect((int(memory["target"]) ?? 0) >= 1024 && (int(memory["target"]) ?? 0) % 512 == 0)
        #expect((memory["reason"] as? String)?.contains("p90 of peak executor memory") == true)
        let table = try run(["recommend", job, "--db", db, "--as-of", "2026-11-01"])
        #expect(table.status == 0 && table.output.contains("executor memory MiB") && table.output.contains("expected cost per run"))
        let unknown = try run(["recommend", "no/such/job", "--db", db])
        #expect(unknown.status == 1 && unknown.error.contains("no execution of job_path \"no/such/job\""))
        let badCurrent = try run(["recommend", job, "--db", db, "--current", #"{"executor":{"memory_mb":"lots"}}"#])
        #expect(badCurrent.status == 1 && badCurrent.error.contains("resources.executor.memory_mb"))

        let backtest = try run(["backtest", "--db", db, "--format", "json"])
        #expect(backtest.status == 0, "\(backtest.error)")
        let report = try #require(try json(backtest) as? [String: Any])
        let total = try #require(report["total"] as? [String: Any])
        for key in ["runs_scored", "under_provisioned", "under_provisioned_pct", "avoided_ooms", "cost_requested_usd", "cost_recommended_usd", "saving_pct"] {
            #expect(total[key] != nil, "\(key)")
        }
        let perJob = try #require(report["jobs"] as? [[String: Any]])
        #expect(perJob.count == jobs.count)
        #expect(perJob.compactMap { int($0["runs_scored"]) }.reduce(0, +) == int(total["runs_scored"]))
        #expect((int(total["runs_scored"]) ?? 0) > 500)
        let one = try #require(try json(run(["backtest", "--db", db, "--job", job, "--format", "json"])) as? [String: Any])
        #expect((one["jobs"] as? [Any])?.count == 1)
    }

    @Test func importSparkEventLogStoresEmitsAndRefusesBadLogs() throws {
        let logs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/spark-eventlogs/logs").path
        let db = directory.file("spark.db")
        let imported = try run(["import-spark-eventlog", "--db", db, "--team", "analytics", logs])
        #expect(imported.status == 0, "\(imported.error)")
        #expect(imported.output.contains("analytics/etl/broken_parse  FAILED"))
        #expect(imported.output.contains("analytics/etl/long_backfill  RUNNING"))
        #expect(imported.output.contains("imported 6 applications"))
        #expect(imported.output.contains("accepted     23"))
        let again = try run(["import-spark-eventlog", "--db", db, "--team", "analytics", logs])
        #expect(again.output.contains("accepted     0") && again.output.contains("duplicates   23"))
        let executions = try #require(try json(run(["executions", "--db", db, "--format", "json"])) as? [[String: Any]])
        #expect(executions.count == 6)
        #expect(Set(executions.compactMap { $0["team"] as? String }) == ["analytics"])

        let emitted = try run(["import-spark-eventlog", "--emit", "-", "--job-path-from", "conf:spark.kubernetes.namespace", logs])
        #expect(emitted.status == 0, "\(emitted.error)")
        let lines = emitted.output.split(separator: "\n")
        #expect(lines.count == 23)
        #expect(lines.allSatisfy { $0.contains(#""source":"importer""#) })
        #expect(lines.filter { $0.contains(#""event_type":"SUBMIT""#) }.allSatisfy { $0.contains(#""job_path":"sjns-analytics""#) })

        let empty = directory.write("empty-log", [])
        let refused = try run(["import-spark-eventlog", "--db", directory.file("refused.db"), "--team", "t", logs, empty])
        #expect(refused.status == 1)
        #expect(refused.error == "error: \(empty): empty: no events; nothing was imported\n")
        let badSource = try run(["import-spark-eventlog", "--job-path-from", "label", logs])
        #expect(badSource.status != 0 && badSource.error.contains("--job-path-from must be app-name or conf:KEY"))
    }
}

/// A TCP socket listening on a free loopback port, closed at deinit: a port someone else holds.
final class LoopbackListener {
    let descriptor: Int32
    let port: Int

    init?() {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketDescriptor >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(socketDescriptor, generic, length) == 0 && listen(socketDescriptor, 1) == 0
                    && getsockname(socketDescriptor, generic, &length) == 0
            }
        }
        guard listening else {
            close(socketDescriptor)
            return nil
        }
        descriptor = socketDescriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }
}
