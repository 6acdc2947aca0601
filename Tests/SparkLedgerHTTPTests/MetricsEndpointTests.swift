import Foundation
import SparkLedgerCore
import SparkLedgerMetrics
import SparkLedgerStorage
import SparkLedgerTestSupport
import Testing

/// /metrics: valid Prometheus text (promtool), domain values equal to the store's totals, and
/// the same after a restart and after a replay.
@Suite struct MetricsEndpointTests {
    /// promtool from Debian's prometheus package, which script/test installs.
    static func promtool() throws -> String {
        let path = ProcessInfo.processInfo.environment["SPARKLEDGER_TEST_PROMTOOL"] ?? "/usr/bin/promtool"
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw LiveClient.Failure(description: "promtool not found at \(path): run script/test, which installs Debian's prometheus package")
        }
        return path
    }

    @Test func theExpositionPassesPromtoolAndCountsWhatTheStoreHolds() async throws {
        let history = try IngestedHistory()
        let pipeline = PipelineMetrics(startTime: 0)
        try await withLiveServer(history.store, pipeline: pipeline) { client in
            _ = try await client.get("/api/v1/executions?limit=3")
            let reply = try await client.get("/metrics")
            #expect(reply.status == 200)
            #expect(reply.contentType.hasPrefix("text/plain; version=0.0.4"))
            let file = history.directory.write("metrics.txt", Array(reply.body))
            let check = try ProcessRunner.run(Self.promtool(), ["check", "metrics"], input: try Data(contentsOf: URL(fileURLWithPath: file)))
            #expect(check.status == 0, "promtool: \(check.output) \(check.error)")
            #expect(check.output.isEmpty && check.error.isEmpty, "promtool lint: \(check.output) \(check.error)")

            let samples = PrometheusSamples(reply.text)
            let usage = try history.store.dailyUsage()
            #expect(samples.sum("sk8_executions_submitted_total") == Double(usage.map(\.executions).reduce(0, +)))
            #expect(samples.sum("sk8_executions_finished_total", ["state": "FAILED"]) == Double(usage.map(\.failed).reduce(0, +)))
            #expect(samples.sum("sk8_executions_active", ["state": "RUNNING"]) == Double(usage.map(\.activeRunning).reduce(0, +)))
            #expect(abs(samples.sum("sk8_execution_cost_usd_total") - usage.map(\.costUSD).reduce(0, +)) < 1e-6)
            #expect(samples.sum("sk8_shuffle_read_bytes_total") == Double(usage.map(\.shuffleReadBytes).reduce(0, +)))
            #expect(samples.sum("sk8_tasks_failed_total") == Double(usage.map(\.failedTasks).reduce(0, +)))
            let succeeded = usage.map(\.succeeded).reduce(0, +)
            #expect(samples.sum("sk8_execution_duration_seconds_count", ["state": "SUCCEEDED"]) == Double(succeeded))
            #expect(samples.sum("sk8_execution_duration_seconds_bucket", ["state": "SUCCEEDED", "le": "+Inf"]) == Double(succeeded))
            let durationSum = try history.store.executions(ExecutionFilter(state: .succeeded)).filter { !$0.snapshot.incomplete }
                .compactMap(\.snapshot.durationMs).reduce(0, +)
            #expect(abs(samples.sum("sk8_execution_duration_seconds_sum", ["state": "SUCCEEDED"]) - Double(durationSum) / 1000) < 1e-6)
            // No execution_id or job_path labels by default.
            #expect(!reply.text.contains("job_path=") && !reply.text.contains("execution_id="))
            // The request above shows in the self-metrics.
            #expect(samples.sum("sparkledger_http_request_duration_seconds_count", ["route": "/api/v1/executions", "status": "200"]) >= 1)
        }
    }

    @Test func domainMetricsAreTheSameAfterARestartAndAfterAReplay() async throws {
        let history = try IngestedHistory()
        let before = try await withLiveServer(history.store) { client in try await client.get("/metrics").text }
        // A restart: a new store object over the same file, a new server.
        let reopened = try SQLiteEventStore(StoreConfiguration(path: history.store.path))
        let afterRestart = try await withLiveServer(reopened) { client in try await client.get("/metrics").text }
        #expect(afterRestart == before)
        _ = try reopened.replay()
        let afterReplay = try await withLiveServer(reopened) { client in try await client.get("/metrics").text }
        #expect(afterReplay == before)
        #expect(before.contains("sk8_executions_submitted_total{"))
    }

    @Test func jobPathLabelsOnlyForTheAllowList() throws {
        let history = try IngestedHistory()
        let usage = try history.store.dailyUsage()
        let job = try #require(usage.first?.key.jobPath)
        let families = DomainMetrics.families(usage, jobPathAllowList: [job])
        let text = PrometheusExposition.text(families)
        let labelled = Set(text.split(separator: "\n").filter { $0.contains("job_path=") }.map { line in
            String(line.split(separator: "job_path=\"")[1].prefix { $0 != "\"" })
        })
        #expect(labelled == [job])
        // Totals do not change by splitting series.
        let samples = PrometheusSamples(text)
        #expect(samples.sum("sk8_executions_submitted_total") == Double(usage.map(\.executions).reduce(0, +)))
    }
}

/// Samples of a Prometheus text exposition, summed by name over series whose labels match.
struct PrometheusSamples {
    struct Sample {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    let samples: [Sample]

    init(_ text: String) {
        samples = text.split(separator: "\n").compactMap { line -> Sample? in
            guard !line.hasPrefix("#"), let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { return nil }
            let series = line[..<space]
            guard let brace = series.firstIndex(of: "{") else { return Sample(name: String(series), labels: [:], value: value) }
            var labels: [String: String] = [:]
            for pair in series[series.index(after: brace)..<series.index(before: series.endIndex)].split(separator: "\",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                labels[String(parts[0])] = String(parts[1].drop { $0 == "\"" }.reversed().drop { $0 == "\"" }.reversed())
            }
            return Sample(name: String(series[..<brace]), labels: labels, value: value)
        }
    }

    func sum(_ name: String, _ matching: [String: String] = [:]) -> Double {
        samples.filter { sample in sample.name == name && matching.allSatisfy { sample.labels[$0.key] == $0.value } }.map(\.value).reduce(0, +)
    }
}
