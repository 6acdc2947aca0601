import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ServiceLifecycle
import SparkLedgerCore

/// Where and how often to push metrics over OTLP/HTTP.
public struct OTLPExporterConfiguration: Sendable {
    /// The collector's metrics URL, e.g. http://otel-collector:4318/v1/metrics.
    public var endpoint: URL
    public var interval: Duration
    public var serviceVersion: String
    public var timeout: Duration

    public init(endpoint: URL, interval: Duration = .seconds(30), serviceVersion: String, timeout: Duration = .seconds(10)) {
        self.endpoint = endpoint
        self.interval = interval
        self.serviceVersion = serviceVersion
        self.timeout = timeout
    }
}

/// Pushes the metrics (OTLP/JSON over HTTP POST) every interval and once more at shutdown.
/// A collector that is down costs a logged line, never the process.
public final class OTLPExporterService: Service, Sendable {
    private let configuration: OTLPExporterConfiguration
    private let batches: @Sendable () throws -> [OTLPMetricsEncoder.Batch]
    private let clock: @Sendable () -> Int64
    private let log: @Sendable (String) -> Void

    public init(configuration: OTLPExporterConfiguration, clock: @escaping @Sendable () -> Int64,
                log: @escaping @Sendable (String) -> Void, batches: @escaping @Sendable () throws -> [OTLPMetricsEncoder.Batch]) {
        self.configuration = configuration
        self.batches = batches
        self.clock = clock
        self.log = log
    }

    public func run() async throws {
        var failing = false
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            failing = await pushLogging(failing: failing)
            let interval = configuration.interval
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
        _ = await pushLogging(failing: failing)
    }

    /// Pushes once; logs the first failure and the recovery, not every retry.
    private func pushLogging(failing: Bool) async -> Bool {
        do {
            try await push()
            if failing { log("OTLP: \(configuration.endpoint) accepts metrics again") }
            return false
        } catch {
            if !failing { log("OTLP: pushing metrics to \(configuration.endpoint) failed: \(error); retrying every \(configuration.interval)") }
            return true
        }
    }

    /// Encodes the current metrics and POSTs them; throws when the collector does not answer 2xx.
    public func push() async throws {
        let body = JSONWriter.bytes(OTLPMetricsEncoder.request(try batches(), time: clock(), serviceVersion: configuration.serviceVersion),
                                    keyOrder: .documentOrder)
        var request = URLRequest(url: configuration.endpoint)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.timeoutInterval = Double(configuration.timeout.components.seconds)
        let (data, response) = try await URLSession.shared.upload(for: request, from: Data(body))
        guard let http = response as? HTTPURLResponse else { throw OTLPExportError(message: "no HTTP response") }
        guard (200..<300).contains(http.statusCode) else {
            throw OTLPExportError(message: "HTTP \(http.statusCode): \(String(decoding: data.prefix(300), as: UTF8.self))")
        }
    }
}

public struct OTLPExportError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
