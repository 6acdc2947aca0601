import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SparkLedgerCore
import SparkLedgerTestSupport
import Testing

/// A real Prometheus (Debian's package, on loopback) scrapes a running `sparkledger serve` with
/// the SLO rules loaded; its HTTP API must return the values the store holds.
@Suite struct PrometheusEndToEndTests {
    let directory = TemporaryDirectory("sparkledger-prometheus")
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func prometheusScrapesWhatTheStoreHolds() async throws {
        let db = directory.file("history.db")
        let history = directory.file("history.ndjson")
        #expect(try SparkLedgerBinary.run(["generate", "--executions", "400", "--seed", "11", "--out", history]).status == 0)
        #expect(try SparkLedgerBinary.run(["ingest", "--db", db, history]).status == 0)
        let usage = try SparkLedgerBinary.run(["usage", "--db", db, "--format", "json"])
        let rows = try JSONParser.parse(Array(usage.output.utf8)).arrayValue
        func total(_ key: String) -> Double { rows.compactMap { $0.objectValue?[key]?.numberValue }.reduce(0, +) }
        #expect(total("executions") > 300)

        let serve = try BackgroundProcess(SparkLedgerBinary.path, ["serve", "--db", db, "--http", "127.0.0.1:0"], directory: directory)
        defer { serve.kill() }
        let line = try await serve.waitForLine(matching: /serving the history on http:\/\/127\.0\.0\.1:([0-9]+)/)
        let servePort = try #require(line.firstMatch(of: /127\.0\.0\.1:([0-9]+)/).map { String($0.1) })

        let prometheusPort = try freeLoopbackPort()
        let rules = Self.root.appendingPathComponent("dashboards/rules/slo.rules.yml").path
        let config = directory.write("prometheus.yml", Array("""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files:
              - \(rules)
            scrape_configs:
              - job_name: sparkledger
                static_configs:
                  - targets: ["127.0.0.1:\(servePort)"]

            """.utf8))
        let prometheus = try BackgroundProcess(try Self.prometheus(), [
            "--config.file=\(config)", "--storage.tsdb.path=\(directory.file("tsdb"))",
            "--web.listen-address=127.0.0.1:\(prometheusPort)", "--log.level=warn",
        ], directory: directory)
        defer { prometheus.kill() }
        let api = "http://127.0.0.1:\(prometheusPort)/api/v1"

        // Wait for the first scrape and the first rule evaluation.
        let byState = try await poll(api, "sum by (state) (sk8_executions_finished_total)", until: { $0.count == 3 }, prometheus: prometheus)
        let states = Dictionary(uniqueKeysWithValues: byState.compactMap { sample -> (String, Double)? in
            guard let state = sample.labels["state"] else { return nil }
            return (state, sample.value)
        })
        #expect(states["SUCCEEDED"] == total("succeeded"))
        #expect(states["FAILED"] == total("failed"))
        #expect(states["CANCELLED"] == total("cancelled"))
        let submitted = try await poll(api, "sum(sk8_executions_submitted_total)", until: { !$0.isEmpty }, prometheus: prometheus)
        #expect(submitted.first?.value == total("executions"))
        let cost = try await poll(api, "sum(sk8_execution_cost_usd_total)", until: { !$0.isEmpty }, prometheus: prometheus)
        let expectedCost = total("cost_usd")
        #expect(abs((cost.first?.value ?? 0) - expectedCost) <= expectedCost * 1e-12)
        let shuffle = try await poll(api, "sum(sk8_shuffle_read_bytes_total)", until: { !$0.isEmpty }, prometheus: prometheus)
        #expect(shuffle.first?.value == total("shuffle_read_bytes"))

        // The SLO rules load and evaluate against the real series: one error ratio per team.
        let teams = Set(rows.compactMap { $0.objectValue?["team"]?.stringValue })
        let recorded = try await poll(api, "team:sk8_executions_finished:rate5m", until: { $0.count == teams.count }, prometheus: prometheus)
        #expect(Set(recorded.compactMap { $0.labels["team"] }) == teams)
        let rulesReply = try JSONParser.parse(Array(try await fetch("\(api)/rules")))
        let groups = rulesReply.objectValue?["data"]?.objectValue?["groups"]?.arrayValue ?? []
        #expect(groups.count == 4)
        for group in groups {
            for rule in group.objectValue?["rules"]?.arrayValue ?? [] {
                #expect(rule.objectValue?["health"]?.stringValue == "ok", "\(rule)")
            }
        }
    }

    static func prometheus() throws -> String {
        let path = ProcessInfo.processInfo.environment["SPARKLEDGER_TEST_PROMETHEUS"] ?? "/usr/bin/prometheus"
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw BackgroundProcess.Failure(description: "prometheus not found at \(path): run script/test, which installs Debian's prometheus package")
        }
        return path
    }

    struct Sample {
        var labels: [String: String]
        var value: Double
    }

    /// Runs an instant query until `until` accepts its samples (or 60 s pass).
    func poll(_ api: String, _ query: String, until: ([Sample]) -> Bool, prometheus: BackgroundProcess) async throws -> [Sample] {
        var encoded = URLComponents(string: "\(api)/query")
        encoded?.queryItems = [URLQueryItem(name: "query", value: query)]
        let url = try #require(encoded?.url?.absoluteString)
        let deadline = ContinuousClock.now + .seconds(60)
        var samples: [Sample] = []
        // Asks once more after every sleep, however long it took (waitForLine says why).
        while true {
            guard prometheus.isRunning else { throw BackgroundProcess.Failure(description: "prometheus exited: \(prometheus.errorOutput)") }
            if let body = try? await fetch(url), let reply = try? JSONParser.parse(Array(body)) {
                samples = (reply.objectValue?["data"]?.objectValue?["result"]?.arrayValue ?? []).compactMap { result in
                    guard let object = result.objectValue, let pair = object["value"]?.arrayValue, pair.count == 2,
                          let value = pair[1].stringValue.flatMap(Double.init) else { return nil }
                    var labels: [String: String] = [:]
                    for member in object["metric"]?.objectValue?.members ?? [] { labels[member.key] = member.value.stringValue }
                    return Sample(labels: labels, value: value)
                }
                if until(samples) { return samples }
            }
            guard ContinuousClock.now < deadline else { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        Issue.record("timed out waiting for \(query); last answer: \(samples)")
        return samples
    }

    func fetch(_ url: String) async throws -> Data {
        let (data, _) = try await URLSession.shared.data(from: try #require(URL(string: url)))
        return data
    }
}

extension JSONValue {
    var arrayValue: [JSONValue] {
        if case .array(let values) = self { return values }
        return []
    }
}
