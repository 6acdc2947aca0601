import Foundation
import SparkLedgerCore
import SparkLedgerIngest
import SparkLedgerStorage
import SparkLedgerSynthetic
import Testing

/// GET and POST /api/v1/recommendations/{job_path}.
@Suite struct RecommendationsAPITests {
    static let now = HistoryConfiguration.defaultEnd

    @Test func answersWhatTheModelRecommendsForTheJobsHistory() async throws {
        let history = try IngestedHistory(executions: 600, seed: 17)
        let all = try history.store.executions(ExecutionFilter())
        let job = try #require(Dictionary(grouping: all.compactMap(\.snapshot.jobPath), by: { $0 }).max { $0.value.count < $1.value.count }?.key)
        let expected = try #require(try JobRecommender(store: history.store).recommend(jobPath: job, current: nil, asOf: Self.now))
        #expect(expected.confidence > 0)
        try await withLiveServer(history.store, now: { Self.now }) { client in
            let answer = try await client.json("/api/v1/recommendations/\(job)")
            #expect(answer == .object(expected.json))
            #expect(answer["executor"]?["memory_mb"]?["reason"]?.stringValue?.hasPrefix("p90 of peak executor memory over") == true)

            // The current request from query parameters, or from a POSTed JobSpec: the same answer.
            let query = try await client.json("/api/v1/recommendations/\(job)?executor_memory_mb=12288&executor_cores=4&max_executors=40")
            #expect(query["executor"]?["memory_mb"]?["current"]?.intValue == 12288)
            #expect(query["dynamic_allocation"]?["max_executors"]?["current"]?.intValue == 40)
            let posted = try await client.post("/api/v1/recommendations/\(job)",
                                               json: #"{"resources":{"executor":{"memory_mb":12288,"cores":4},"dynamic_allocation":{"max_executors":40}}}"#)
            #expect(posted.status == 200)
            #expect(try posted.json()["executor"] == query["executor"])

            // Bad input is a 400 naming it; an unknown job a 404.
            let bad = try await client.get("/api/v1/recommendations/\(job)?executor_cores=two")
            #expect(bad.status == 400)
            #expect(try bad.json()["error"]?["parameter"]?.stringValue == "executor_cores")
            let badBody = try await client.post("/api/v1/recommendations/\(job)", json: #"{"resources":{"executor":{"cores":0}}}"#)
            #expect(badBody.status == 400 && badBody.text.contains("resources.executor.cores"))
            #expect(try await client.get("/api/v1/recommendations/nobody/nothing").status == 404)
        }
    }

    @Test func theCacheFollowsTheJobsHistory() async throws {
        let history = try IngestedHistory(executions: 300, seed: 19)
        let all = try history.store.executions(ExecutionFilter())
        let job = try #require(all.compactMap(\.snapshot.jobPath).first)
        try await withLiveServer(history.store, now: { Self.now }) { client in
            let before = try await client.json("/api/v1/recommendations/\(job)")["evidence"]?["runs"]?.intValue ?? -1
            #expect(try await client.json("/api/v1/recommendations/\(job)")["evidence"]?["runs"]?.intValue == before)
            // A new run of the job lands: the next answer counts it.
            let submit = #"{"event_id":"late-submit","execution_id":"late-run","event_type":"SUBMIT","timestamp":\#(Self.now - 3_600_000),"source":"runner","schema_version":1,"payload":{"job_path":"\#(job)","team":"t"}}"#
            let file = history.directory.write("late.ndjson", Array((submit + "\n").utf8))
            #expect(try FileIngestor(store: history.store).ingest([file]).total.accepted == 1)
            #expect(try await client.json("/api/v1/recommendations/\(job)")["evidence"]?["runs"]?.intValue == before + 1)
        }
    }
}
