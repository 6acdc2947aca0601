import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import Logging
import ServiceLifecycle
import SparkLedgerCore
import SparkLedgerHTTP
import SparkLedgerIngest
import SparkLedgerMetrics
import SparkLedgerStorage
import SparkLedgerSynthetic
import SparkLedgerTestSupport
import Testing

/// A generated history (with duplicates and bad lines) ingested into a fresh store.
struct IngestedHistory {
    let directory = TemporaryDirectory("sparkledger-http")
    let store: SQLiteEventStore
    let file: String

    init(executions: Int = 400, seed: UInt64 = 7) throws {
        var generator = HistoryGenerator(HistoryConfiguration(executions: executions, seed: seed, duplicateRate: 0.03, invalidRate: 0.03))
        var bytes: [UInt8] = []
        generator.generate { line in
            bytes += line
            bytes.append(0x0A)
        }
        file = directory.write("history.ndjson", bytes)
        store = try SQLiteEventStore(StoreConfiguration(path: directory.file("history.db")))
        _ = try FileIngestor(store: store).ingest([file])
    }
}

/// The API served over loopback on a free port, for the length of `body`.
func withLiveServer<T>(_ store: SQLiteEventStore, pipeline: PipelineMetrics? = nil, readiness: ReadinessProbe? = nil,
                       now: @escaping @Sendable () -> Int64 = StoreConfiguration.systemClock,
                       _ body: (LiveClient) async throws -> T) async throws -> T {
    let dependencies = HTTPDependencies(history: HistoryReader(store: store, now: now), domainMetrics: DomainMetricsSource(store: store),
                                        pipelineMetrics: pipeline, consumerReadiness: readiness)
    let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
    var logger = Logger(label: "test")
    logger.logLevel = .error
    let application = buildApplication(dependencies, configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0),
                                       onServerRunning: { port in portContinuation.yield(port) }, logger: logger)
    let services = ServiceGroup(configuration: ServiceGroupConfiguration(services: [application], logger: logger))
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await services.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw LiveClient.Failure(description: "the server never started") }
        do {
            let result = try await body(LiveClient(base: "http://127.0.0.1:\(port)"))
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
            return result
        } catch {
            await services.triggerGracefulShutdown()
            throw error
        }
    }
}

/// Plain HTTP requests to the live server.
struct LiveClient: Sendable {
    struct Failure: Error, CustomStringConvertible { var description: String }
    struct Reply {
        var status: Int
        var contentType: String
        var headers: [String: String]
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        func json() throws -> JSONValue { try JSONParser.parse(Array(body)) }
    }

    let base: String

    func get(_ path: String, accept: String? = nil) async throws -> Reply {
        try await send(path, accept: accept)
    }

    func post(_ path: String, json: String) async throws -> Reply {
        try await send(path, method: "POST", body: Data(json.utf8))
    }

    private func send(_ path: String, method: String = "GET", accept: String? = nil, body: Data? = nil) async throws -> Reply {
        guard let url = URL(string: base + path) else { throw Failure(description: "bad path \(path)") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        if let accept { request.setValue(accept, forHTTPHeaderField: "Accept") }
        let (data, response) = try await URLSession.shared.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw Failure(description: "no HTTP response for \(path)") }
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields { headers[String(describing: key).lowercased()] = String(describing: value) }
        return Reply(status: http.statusCode, contentType: headers["content-type"] ?? "", headers: headers, body: data)
    }

    /// GET that must answer 200 with JSON.
    func json(_ path: String) async throws -> JSONValue {
        let reply = try await get(path)
        #expect(reply.status == 200, "\(path): \(reply.text)")
        #expect(reply.contentType.hasPrefix("application/json"), "\(path): \(reply.contentType)")
        return try reply.json()
    }
}

extension JSONValue {
    subscript(key: String) -> JSONValue? { objectValue?[key] }

    var array: [JSONValue] {
        if case .array(let values) = self { return values }
        return []
    }

    var intValue: Int64? {
        if case .int(let value) = self { return value }
        return nil
    }

    var keys: [String] { objectValue?.keys ?? [] }
}
