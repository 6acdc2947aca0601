import Foundation
import SparkLedgerCore
import SparkLedgerStorage
import Testing

/// Job history, usage and quarantine endpoints against what the store holds.
@Suite struct HistoryAPITests {
    @Test func aJobsHistorySummarisesEveryRunInTheWindow() async throws {
        let history = try IngestedHistory()
        let all = try history.store.executions(ExecutionFilter())
        let jobPath = try #require(Dictionary(grouping: all.compactMap(\.snapshot.jobPath), by: { $0 }).max { $0.value.count < $1.value.count }?.key)
        let runs = all.filter { $0.snapshot.jobPath == jobPath }
        #expect(jobPath.contains("/"))
        try await withLiveServer(history.store) { client in
            let reply = try await client.json("/api/v1/jobs/\(jobPath)/history?limit=3")
            let summary = reply["summary"]
            #expect(reply["job_path"]?.stringValue == jobPath)
            #expect(summary?["runs"]?.intValue == Int64(runs.count))
            let succeeded = runs.filter { $0.snapshot.state == .succeeded }
            let finished = runs.filter { $0.snapshot.state.isFinal }
            #expect(summary?["succeeded"]?.intValue == Int64(succeeded.count))
            #expect(summary?["success_rate"]?.numberValue == Double(succeeded.count) / Double(finished.count))
            let durations = succeeded.compactMap(\.snapshot.durationMs).sorted()
            // Nearest rank, computed here independently.
            #expect(summary?["duration_p50_ms"]?.intValue == durations[Int((Double(durations.count) * 0.5).rounded(.up)) - 1])
            #expect(summary?["duration_p95_ms"]?.intValue == durations[Int((Double(durations.count) * 0.95).rounded(.up)) - 1])
            let cost = runs.compactMap(\.costUSD).reduce(0, +)
            #expect(abs((summary?["cost_usd"]?.numberValue ?? 0) - cost) < 1e-9)
            let listed = reply["runs"]?.array ?? []
            #expect(listed.count == 3)
            #expect(listed.compactMap { $0["execution_id"]?.stringValue } == runs.prefix(3).map(\.snapshot.executionID))

            // The same job through %2F, and a window that holds none of its runs.
            let encoded = try await client.json("/api/v1/jobs/\(jobPath.replacingOccurrences(of: "/", with: "%2F"))/history")
            #expect(encoded["summary"]?["runs"]?.intValue == Int64(runs.count))
            let empty = try await client.json("/api/v1/jobs/\(jobPath)/history?until=2001-01-01")
            #expect(empty["summary"]?["runs"]?.intValue == 0)
            #expect(empty["runs"]?.array.isEmpty == true)
        }
    }

    @Test func usageRollsUpByAnyCombinationOfDayTeamAndJob() async throws {
        let history = try IngestedHistory()
        let rows = try history.store.usage()
        try await withLiveServer(history.store) { client in
            let byTeam = try await client.json("/api/v1/usage?group_by=team")
            let teams = byTeam["usage"]?.array ?? []
            #expect(teams.first?.keys == ["team"] + DailyUsage.totalKeys)
            for team in teams {
                let name = try #require(team["team"]?.stringValue)
                let mine = rows.filter { $0.key.team == name }
                #expect(team["executions"]?.intValue == mine.map(\.executions).reduce(0, +))
                #expect(team["shuffle_read_bytes"]?.intValue == mine.map(\.shuffleReadBytes).reduce(0, +))
            }
            #expect(Set(teams.compactMap { $0["team"]?.stringValue }) == Set(rows.map(\.key.team)))

            let full = try await client.json("/api/v1/usage")["usage"]?.array ?? []
            #expect(full.count == rows.count)
            #expect(try await client.json("/api/v1/usage?group_by=job_path,day,team")["usage"]?.array == full)
            let days = rows.map(\.key.day).sorted()
            let window = try await client.json("/api/v1/usage?group_by=day&since=\(days[0])&until=\(days[0])")["usage"]?.array ?? []
            #expect(window.count == 1)
            #expect(window.first?["executions"]?.intValue == rows.filter { $0.key.day == days[0] }.map(\.executions).reduce(0, +))
        }
    }

    @Test func theQuarantinePagesThroughEveryEntryWithCountsPerReason() async throws {
        let history = try IngestedHistory()
        let entries = try history.store.quarantine()
        let counts = try history.store.quarantineCounts()
        #expect(entries.count > 10)
        try await withLiveServer(history.store) { client in
            var ids: [Int64] = []
            var cursor: String?
            repeat {
                let page = try await client.json("/api/v1/quarantine?limit=4" + (cursor.map { "&cursor=\($0)" } ?? ""))
                #expect(page["total"]?.intValue == Int64(entries.count))
                for (reason, count) in counts { #expect(page["counts"]?[reason.rawValue]?.intValue == count) }
                ids += page["entries"]?.array.compactMap { $0["id"]?.intValue } ?? []
                cursor = page["next_cursor"]?.stringValue
            } while cursor != nil && ids.count <= entries.count
            #expect(ids == entries.map(\.id))

            let reason = try #require(counts.keys.first)
            let one = try await client.json("/api/v1/quarantine?reason=\(reason.rawValue)&limit=1000")
            #expect(one["entries"]?.array.count == Int(counts[reason] ?? 0))
            let raw = one["entries"]?.array.first
            #expect(raw?["raw"]?.stringValue != nil || raw?["raw_base64"]?.stringValue != nil)
        }
    }
}
