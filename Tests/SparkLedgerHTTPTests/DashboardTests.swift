import Foundation
import SparkLedgerCore
import SparkLedgerMetrics
import SparkLedgerTestSupport
import Testing

/// dashboards/: the rules are valid and their unit tests pass (promtool), and every PromQL
/// expression of the dashboards and rules names only metrics SparkLedger exports.
@Suite struct DashboardTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let dashboards = root.appendingPathComponent("dashboards").path

    /// Every sample name /metrics can carry.
    static var exportedNames: [String] {
        let domain = DomainMetrics.families([]).flatMap { family in
            family.kind == .histogram ? ["_bucket", "_sum", "_count"].map { family.prometheusName + $0 } : [family.prometheusName]
        }
        let histograms: Set<String> = [PipelineMetricNames.projectionDelay, PipelineMetricNames.httpRequestDuration]
        let pipeline = PipelineMetricNames.descriptions.keys.flatMap { name in
            histograms.contains(name) ? ["_bucket", "_sum", "_count"].map { name + $0 } : [name]
        }
        return (domain + pipeline).sorted()
    }

    @Test func theSLORulesAreValidAndTheirUnitTestsPass() throws {
        let promtool = try MetricsEndpointTests.promtool()
        let check = try ProcessRunner.run(promtool, ["check", "rules", "\(Self.dashboards)/rules/slo.rules.yml"])
        #expect(check.status == 0, "\(check.output)\(check.error)")
        #expect(check.output.contains("SUCCESS: 46 rules found"), "\(check.output)")
        let unit = try ProcessRunner.run(promtool, ["test", "rules", "slo.rules.test.yml"], directory: "\(Self.dashboards)/rules")
        #expect(unit.status == 0, "\(unit.output)\(unit.error)")
        #expect(unit.output.contains("SUCCESS"), "\(unit.output)")
    }

    @Test func everyExpressionNamesOnlyExportedMetricsAndParses() throws {
        let directory = TemporaryDirectory("sparkledger-dashboards")
        let names = directory.write("names.txt", Array(Self.exportedNames.joined(separator: "\n").utf8))
        let rules = directory.file("dashboard-expressions.rules.yml")
        let check = try ProcessRunner.run(ProcessRunner.python, [
            Self.root.appendingPathComponent("Tests/SparkLedgerHTTPTests/check_promql.py").path, Self.dashboards, names, rules,
        ])
        #expect(check.status == 0, "\(check.output)\(check.error)")
        let count = check.output.firstMatch(of: /checked ([0-9]+) expressions/).flatMap { Int($0.1) } ?? 0
        #expect(count > 70, "\(check.output)")
        // The dashboards' expressions are PromQL that Prometheus parses.
        let parse = try ProcessRunner.run(try MetricsEndpointTests.promtool(), ["check", "rules", rules])
        #expect(parse.status == 0, "\(parse.output)\(parse.error)")

        // The checker does catch a metric that is not exported.
        try FileManager.default.createDirectory(atPath: directory.file("bogus/grafana"), withIntermediateDirectories: true)
        _ = directory.write("bogus/grafana/x.json", Array(#"{"panels":[{"targets":[{"expr":"rate(sk8_made_up_total[5m])"}]}]}"#.utf8))
        let caught = try ProcessRunner.run(ProcessRunner.python, [
            Self.root.appendingPathComponent("Tests/SparkLedgerHTTPTests/check_promql.py").path, directory.file("bogus"), names,
            directory.file("bogus.rules.yml"),
        ])
        #expect(caught.status == 1)
        #expect(caught.output.contains("sk8_made_up_total is not a metric SparkLedger exports"))
    }

    @Test func theDashboardsAreGrafanaJSONWithTheFourViews() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: "\(Self.dashboards)/grafana").filter { $0.hasSuffix(".json") }.sorted()
        #expect(files == ["cost-and-usage.json", "pipeline-health.json", "shuffle-health.json", "slo-overview.json"])
        var uids: Set<String> = []
        for file in files {
            let dashboard = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: "\(Self.dashboards)/grafana/\(file)"))))
            let object = try #require(dashboard.objectValue)
            #expect(object["title"]?.stringValue?.hasPrefix("SparkLedger / ") == true)
            if let uid = object["uid"]?.stringValue { uids.insert(uid) }
            #expect(!(object["panels"]?.array.isEmpty ?? true))
        }
        #expect(uids.count == files.count)
    }
}
