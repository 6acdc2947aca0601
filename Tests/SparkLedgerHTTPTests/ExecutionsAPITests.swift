import Foundation
import SparkLedgerCore
import SparkLedgerIngest
import SparkLedgerStorage
import SparkLedgerSynthetic
import Testing

/// GET /api/v1/executions[/{id}[/events]] against a live server over a generated history.
@Suite struct ExecutionsAPITests {
    @Test func listsEveryMatchingExecutionOnceAcrossPagesInTheStoresOrder() async throws {
        let history = try IngestedHistory()
        let expected = try history.store.executions(ExecutionFilter(team: "payments")).map(\.snapshot.executionID)
        #expect(expected.count > 20)
        try await withLiveServer(history.store) { client in
            var seen: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let page = try await client.json("/api/v1/executions?team=payments&limit=7" + (cursor.map { "&cursor=\($0)" } ?? ""))
                let rows = page["executions"]?.array ?? []
                #expect(rows.count <= 7)
                for row in rows {
                    #expect(row.keys == ExecutionSnapshot.contractKeys)
                    #expect(row["team"]?.stringValue == "payments")
                }
                seen += rows.compactMap { $0["execution_id"]?.stringValue }
                cursor = page["next_cursor"]?.stringValue
                pages += 1
            } while cursor != nil && pages < 1000
            #expect(seen == expected)
            #expect(pages == (expected.count + 6) / 7)
        }
    }

    @Test func pagesAreStableWhileNewExecutionsArrive() async throws {
        let history = try IngestedHistory(executions: 300, seed: 9)
        let before = try history.store.executions(ExecutionFilter()).map(\.snapshot.executionID)
        let extra = try IngestedHistory(executions: 60, seed: 10)
        try await withLiveServer(history.store) { client in
            var seen: [String] = []
            var cursor: String?
            var page = 0
            repeat {
                let reply = try await client.json("/api/v1/executions?limit=50" + (cursor.map { "&cursor=\($0)" } ?? ""))
                seen += reply["executions"]?.array.compactMap { $0["execution_id"]?.stringValue } ?? []
                cursor = reply["next_cursor"]?.stringValue
                page += 1
                // Between the first and second page, another history lands in the store.
                if page == 1 { _ = try FileIngestor(store: history.store).ingest([extra.file]) }
            } while cursor != nil && page < 100
            #expect(seen == before)
            let fresh = try await client.json("/api/v1/executions?limit=1000")
            #expect(fresh["executions"]?.array.count == before.count + (try extra.store.statistics().executions).asInt)
        }
    }

    @Test func filtersAndOrdersAsAsked() async throws {
        let history = try IngestedHistory()
        try await withLiveServer(history.store) { client in
            let failed = try await client.json("/api/v1/executions?state=failed&vendor=SK8&limit=1000")
            let expected = try history.store.executions(ExecutionFilter(state: .failed, vendor: .sk8))
            #expect(failed["executions"]?.array.compactMap { $0["execution_id"]?.stringValue } == expected.map(\.snapshot.executionID))
            #expect(!expected.isEmpty)

            // Newest finished first; unfinished executions (no end_time) after all finished ones.
            let byEnd = try await client.json("/api/v1/executions?order=end_time&limit=1000")["executions"]?.array ?? []
            let ends = byEnd.map { $0["end_time"]?.intValue }
            let finished = ends.prefix { $0 != nil }.compactMap { $0 }
            #expect(finished == finished.sorted(by: >))
            #expect(ends.dropFirst(finished.count).allSatisfy { $0 == nil })
            #expect(finished.count == (try history.store.executions(ExecutionFilter()).filter { $0.snapshot.endTime != nil }.count))

            let ascending = try await client.json("/api/v1/executions?order=submit_time:asc&limit=5")["executions"]?.array ?? []
            let submits = ascending.compactMap { $0["submit_time"]?.intValue }
            #expect(submits == submits.sorted() && submits.count == 5)

            // A window on submit time: since inclusive, until exclusive.
            let all = try history.store.executions(ExecutionFilter()).compactMap(\.snapshot.submitTime).sorted()
            let since = all[all.count / 4], until = all[all.count / 2]
            let window = try await client.json("/api/v1/executions?since=\(since)&until=\(until)&limit=1000")["executions"]?.array ?? []
            #expect(window.count == all.filter { $0 >= since && $0 < until }.count)
        }
    }

    @Test func oneExecutionAndItsEventsOr404() async throws {
        let history = try IngestedHistory()
        let stored = try #require(try history.store.executions(ExecutionFilter(state: .succeeded, limit: 1)).first)
        let id = stored.snapshot.executionID
        try await withLiveServer(history.store) { client in
            let one = try await client.json("/api/v1/executions/\(id)")
            #expect(one == .object(stored.contractJSON))
            let events = try await client.json("/api/v1/executions/\(id)/events")
            let expected = try history.store.events(ofExecution: id)
            #expect(events["events"]?.array.compactMap { $0["event_id"]?.stringValue } == expected.map(\.eventID))
            #expect(events["events"]?.array.count == Int(stored.snapshot.eventCount))

            for path in ["/api/v1/executions/no-such-id", "/api/v1/executions/no-such-id/events"] {
                let missing = try await client.get(path)
                #expect(missing.status == 404)
                #expect(try missing.json()["error"]?["message"]?.stringValue?.contains("no-such-id") == true)
            }
        }
    }

    @Test func listsComeAsCSVWhenAsked() async throws {
        let history = try IngestedHistory()
        try await withLiveServer(history.store) { client in
            for reply in [try await client.get("/api/v1/executions?limit=10&format=csv"),
                          try await client.get("/api/v1/executions?limit=10", accept: "text/csv")] {
                #expect(reply.status == 200)
                #expect(reply.contentType.hasPrefix("text/csv"))
                let lines = reply.text.split(separator: "\n")
                #expect(lines.first.map(String.init) == CSVLine.line(ExecutionSnapshot.contractKeys))
                #expect(lines.count == 11)
                #expect(reply.headers["next-cursor"] != nil)
            }
        }
    }
}

extension Int64 {
    var asInt: Int { Int(self) }
}
