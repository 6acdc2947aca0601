import CoreMetrics
import Foundation
import SparkLedgerCore
import SparkLedgerMetrics
import SparkLedgerStorage
import SparkLedgerTestSupport
import Testing

/// The OTLP push, received by a test receiver that decodes it with the official OpenTelemetry
/// protobuf definitions: names, units, temporality, start times, attributes and values.
@Suite struct OTLPExportTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The receiver runs for the length of `body`, which gets its URL.
    func withReceiver<T>(_ directory: TemporaryDirectory, _ body: (URL) async throws -> T) async throws -> T {
        let portFile = directory.file("receiver.port")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ProcessRunner.python)
        process.arguments = [Self.root.appendingPathComponent("Tests/SparkLedgerHTTPTests/otlp_receiver.py").path, portFile,
                             directory.file("received.jsonl")]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        defer {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: portFile) {
            guard process.isRunning, Date() < deadline else {
                throw LiveClient.Failure(description: "the OTLP receiver did not start: "
                    + String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self))
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let port = try String(contentsOfFile: portFile, encoding: .utf8)
        return try await body(try #require(URL(string: "http://127.0.0.1:\(port)/v1/metrics")))
    }

    @Test func aPushDecodesWithTheOfficialDefinitionsAndCarriesTheStoresValues() async throws {
        let history = try IngestedHistory()
        let domain = DomainMetricsSource(store: history.store)
        let pipeline = PipelineMetrics(startTime: 1_795_000_000_000)
        Counter(label: PipelineMetricNames.duplicates, dimensions: [("input", "file")], factory: pipeline).increment(by: 7)
        let pushedAt: Int64 = 1_795_000_123_456
        let received = try await withReceiver(history.directory) { url in
            let exporter = OTLPExporterService(configuration: OTLPExporterConfiguration(endpoint: url, serviceVersion: "9.8.7"),
                                               clock: { pushedAt }, log: { _ in }) {
                let (families, start) = try domain.families()
                return [OTLPMetricsEncoder.Batch(families: families, startTime: start ?? 0),
                        OTLPMetricsEncoder.Batch(families: pipeline.families(), startTime: pipeline.startTime)]
            }
            try await exporter.push()
            return try String(contentsOfFile: history.directory.file("received.jsonl"), encoding: .utf8)
        }
        let push = try JSONParser.parse(Array(received.split(separator: "\n")[0].utf8))
        #expect(push["error"] == nil, "\(received)")
        let resource = try #require(push["resources"]?.array.first)
        #expect(resource["attributes"]?["service.name"]?.stringValue == "sparkledger")
        #expect(resource["attributes"]?["service.version"]?.stringValue == "9.8.7")
        let metrics = Dictionary(uniqueKeysWithValues: (resource["metrics"]?.array ?? []).compactMap { metric in
            metric["name"]?.stringValue.map { ($0, metric) }
        })
        let usage = try history.store.dailyUsage()
        let historyStart = try #require(usage.map(\.key.day).min()).startMilliseconds
        for family in DomainMetrics.families([]) {
            let metric = try #require(metrics[family.name], "\(family.name) missing")
            #expect(metric["unit"]?.stringValue == family.unit)
            #expect(metric["kind"]?.stringValue == ["counter": "sum", "gauge": "gauge", "histogram": "histogram"][family.kind.rawValue])
            if family.kind != .gauge {
                #expect(metric["temporality"]?.stringValue == "AGGREGATION_TEMPORALITY_CUMULATIVE")
                for point in metric["points"]?.array ?? [] {
                    // Cumulative since the history began, whatever the process's age.
                    #expect(point["start"]?.intValue == historyStart * 1_000_000)
                    #expect(point["time"]?.intValue == pushedAt * 1_000_000)
                }
            }
            if family.kind == .counter { #expect(metric["monotonic"] == .bool(true)) }
            for point in metric["points"]?.array ?? [] {
                let keys = Set(point["attributes"]?.keys ?? [])
                #expect(keys.isSuperset(of: ["team", "namespace", "vendor"]))
            }
        }
        func total(_ name: String, state: String? = nil) -> Double {
            (metrics[name]?["points"]?.array ?? []).filter { state == nil || $0["attributes"]?["state"]?.stringValue == state }
                .compactMap { $0["value"]?.numberValue }.reduce(0, +)
        }
        #expect(total("sk8.executions.submitted") == Double(usage.map(\.executions).reduce(0, +)))
        #expect(total("sk8.executions.finished", state: "SUCCEEDED") == Double(usage.map(\.succeeded).reduce(0, +)))
        #expect(total("sk8.shuffle.write") == Double(usage.map(\.shuffleWriteBytes).reduce(0, +)))
        #expect(abs(total("sk8.execution.cost") - usage.map(\.costUSD).reduce(0, +)) < 1e-6)
        #expect(metrics["sk8.executions.submitted"]?["points"]?.array.first?["value_type"]?.stringValue == "as_int")
        #expect(metrics["sk8.execution.cost"]?["points"]?.array.first?["value_type"]?.stringValue == "as_double")
        let durations = (metrics["sk8.execution.duration"]?["points"]?.array ?? []).filter { $0["attributes"]?["state"]?.stringValue == "FAILED" }
        #expect(durations.compactMap { $0["count"]?.intValue }.reduce(0, +) == usage.map(\.failed).reduce(0, +))
        #expect(durations.first?["bounds"]?.array.compactMap(\.numberValue) == LatencyHistogram.durationBoundsSeconds)
        // The self-metrics ride along, cumulative from the registry's start.
        let duplicates = try #require(metrics["sparkledger.ingest.duplicates"])
        #expect(duplicates["points"]?.array.first?["value"]?.numberValue == 7)
        let registryStart: Int64 = 1_795_000_000_000 * 1_000_000
        #expect(duplicates["points"]?.array.first?["start"] == .int(registryStart), "\(String(describing: duplicates["points"]))")
    }

    @Test func aCollectorThatIsDownIsAnErrorNotACrash() async throws {
        let exporter = OTLPExporterService(
            configuration: OTLPExporterConfiguration(endpoint: try #require(URL(string: "http://127.0.0.1:9/v1/metrics")), serviceVersion: "1"),
            clock: { 0 }, log: { _ in }) { [] }
        await #expect(throws: (any Error).self) { try await exporter.push() }
    }
}
