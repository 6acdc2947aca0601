import Foundation
import SparkLedgerCore
import SparkLedgerHTTP
import Testing

/// Bad input is a 400 that names the parameter, the value and what was expected; never a 500.
@Suite struct APIErrorTests {
    static let badRequests: [(path: String, parameter: String)] = [
        ("/api/v1/executions?limit=0", "limit"),
        ("/api/v1/executions?limit=1001", "limit"),
        ("/api/v1/executions?limit=ten", "limit"),
        ("/api/v1/executions?state=exploded", "state"),
        ("/api/v1/executions?vendor=GCP", "vendor"),
        ("/api/v1/executions?since=last%20tuesday", "since"),
        ("/api/v1/executions?since=2026-10-02&until=2026-10-01", "until"),
        ("/api/v1/executions?order=duration", "order"),
        ("/api/v1/executions?order=end_time:sideways", "order"),
        ("/api/v1/executions?cursor=bm90IGEgY3Vyc29y", "cursor"),
        ("/api/v1/executions?cursor=%25%25%25", "cursor"),
        ("/api/v1/executions?teem=ads", "teem"),
        ("/api/v1/executions?team=", "team"),
        ("/api/v1/executions?team=a&team=b", "team"),
        ("/api/v1/executions?format=xml", "format"),
        ("/api/v1/executions/x?verbose=1", "verbose"),
        ("/api/v1/jobs/payments/etl/ledger/history?limit=-1", "limit"),
        ("/api/v1/usage?group_by=week", "group_by"),
        ("/api/v1/usage?group_by=team,team", "group_by"),
        ("/api/v1/usage?since=2026-13-01", "since"),
        ("/api/v1/usage?since=2026-10-05&until=2026-10-01", "until"),
        ("/api/v1/quarantine?reason=sloppy", "reason"),
        ("/api/v1/quarantine?limit=5000", "limit"),
    ]

    @Test func everyBadParameterIsA400NamingIt() async throws {
        let history = try IngestedHistory(executions: 50)
        try await withLiveServer(history.store) { client in
            for (path, parameter) in Self.badRequests {
                let reply = try await client.get(path)
                #expect(reply.status == 400, "\(path) answered \(reply.status): \(reply.text)")
                #expect(reply.contentType.hasPrefix("application/json"), "\(path)")
                let error = try reply.json()["error"]
                #expect(error?["parameter"]?.stringValue == parameter, "\(path): \(reply.text)")
                #expect(error?["expected"]?.stringValue?.isEmpty == false, "\(path): \(reply.text)")
                #expect(error?["message"]?.stringValue?.contains(parameter) == true, "\(path): \(reply.text)")
            }
        }
    }

    @Test func aCursorFromAnotherQueryIsRefused() async throws {
        let history = try IngestedHistory(executions: 50)
        try await withLiveServer(history.store) { client in
            let first = try await client.json("/api/v1/executions?limit=5&team=payments")
            let cursor = try #require(first["next_cursor"]?.stringValue)
            let reply = try await client.get("/api/v1/executions?limit=5&team=ads&cursor=\(cursor)")
            #expect(reply.status == 400)
            #expect(try reply.json()["error"]?["parameter"]?.stringValue == "cursor")
        }
    }

    @Test func unknownPathsAre404AndHealthAnswers() async throws {
        let history = try IngestedHistory(executions: 20)
        try await withLiveServer(history.store) { client in
            for path in ["/api/v2/executions", "/nothing", "/api/v1/jobs/nope/history", "/api/v1/jobs/payments"] {
                let reply = try await client.get(path)
                #expect(reply.status == 404, "\(path): \(reply.status)")
                #expect(try reply.json()["error"]?["status"]?.intValue == 404)
            }
            #expect(try await client.json("/healthz")["status"]?.stringValue == "ok")
            let ready = try await client.json("/readyz")
            #expect(ready["status"]?.stringValue == "ready")
            #expect(ready["store"]?["reachable"] == .bool(true))
        }
    }

    @Test func readyzIsNotReadyWhileTheConsumerIsNot() async throws {
        let history = try IngestedHistory(executions: 20)
        let probe: ReadinessProbe = { Readiness(ready: false, reason: "no partitions assigned") }
        try await withLiveServer(history.store, readiness: probe) { client in
            let reply = try await client.get("/readyz")
            #expect(reply.status == 503)
            let body = try reply.json()
            #expect(body["status"]?.stringValue == "not ready")
            #expect(body["reasons"]?.array.first?.stringValue == "no partitions assigned")
        }
    }
}
