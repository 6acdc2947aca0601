import Foundation
import SparkLedgerCore
import SparkLedgerIngest
import Testing

/// The importer's totals equal, to the byte, what the real Spark History Server reports through
/// its REST API for the same logs: logs written by real Spark applications (pyspark, local mode)
/// and the History Server's answers, both recorded by script/regenerate-spark-fixtures.
@Suite struct HistoryServerAgreementTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/spark-eventlogs")

    /// One application as the History Server answered for it.
    struct Answer: @unchecked Sendable, CustomTestStringConvertible {
        var appID: String
        var application: [String: Any]
        var stages: [[String: Any]]
        var executors: [[String: Any]]
        var testDescription: String { appID }

        func sum(_ key: String, of rows: [[String: Any]]) -> Int64 {
            rows.reduce(0) { $0 + ((($1[key] as? NSNumber)?.int64Value) ?? 0) }
        }
    }

    static func answers() throws -> [Answer] {
        let folder = fixtures.appendingPathComponent("history-server")
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted().map { name in
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            let record = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            return Answer(appID: String(name.dropLast(5)), application: try #require(record["application"] as? [String: Any]),
                          stages: try #require(record["stages"] as? [[String: Any]]),
                          executors: try #require(record["allexecutors"] as? [[String: Any]]))
        }
    }

    /// The fixture logs: those written by script/spark_eventlog_apps.py, and real-world logs of
    /// other platforms and Spark versions.
    static func logPaths() throws -> [String] {
        var paths: [String] = []
        for folder in ["logs", "real-world-logs"] {
            let directory = fixtures.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
            where name != "README.md" && !name.hasPrefix("LICENSE") {
                paths.append(directory.appendingPathComponent(name).path)
            }
        }
        return paths
    }

    /// Every fixture log, imported once for all the tests, by execution_id.
    static let importedAll: Result<[String: SparkEventLogImporter.Application], SparkImportError> = Result { () throws(SparkImportError) in
        let paths = (try? logPaths()) ?? []
        let applications = try SparkEventLogImporter(team: "analytics").read(try SparkEventLogInput.find(paths))
        return Dictionary(uniqueKeysWithValues: applications.map { ($0.events.executionID, $0) })
    }

    static func imported(_ appID: String) throws -> SparkEventLogImporter.Application {
        try #require(try importedAll.get()[appID], "\(appID) has an answer but no imported log")
    }

    @Test func theFixturesCoverWhatTheIssueAsksFor() throws {
        let answers = try Self.answers()
        #expect(answers.count >= 10)
        #expect(try Self.importedAll.get().count == answers.count)
        let logs = try FileManager.default.contentsOfDirectory(atPath: Self.fixtures.appendingPathComponent("logs").path)
        #expect(logs.contains { $0.hasSuffix(".zstd") })
        #expect(logs.contains { $0.hasSuffix(".inprogress") })
        #expect(logs.contains { $0.hasPrefix("eventlog_v2_") })
        // A failed-then-retried task, a failed application, spill, multi-stage shuffles.
        #expect(answers.contains { $0.sum("numFailedTasks", of: $0.stages) > 0 && $0.stages.allSatisfy { $0["status"] as? String == "COMPLETE" } })
        #expect(answers.contains { $0.stages.contains { $0["status"] as? String == "FAILED" } })
        #expect(answers.contains { $0.sum("memoryBytesSpilled", of: $0.stages) > 0 && $0.sum("diskBytesSpilled", of: $0.stages) > 0 })
        #expect(answers.contains { $0.sum("shuffleReadBytes", of: $0.stages) > 0 && $0.stages.count >= 5 })
    }

    @Test(arguments: try answers())
    func stageTotalsEqualTheHistoryServers(answer: Answer) throws {
        let metrics = try Self.imported(answer.appID).events.metrics
        func value(_ field: MetricsSummary.Field) -> Int64 { Int64(metrics.value(field) ?? -1) }
        let stages = answer.stages
        #expect(value(.shuffleReadBytes) == answer.sum("shuffleReadBytes", of: stages))
        #expect(value(.shuffleReadRecords) == answer.sum("shuffleReadRecords", of: stages))
        #expect(value(.shuffleWriteBytes) == answer.sum("shuffleWriteBytes", of: stages))
        #expect(value(.shuffleWriteRecords) == answer.sum("shuffleWriteRecords", of: stages))
        #expect(value(.shuffleFetchWaitMs) == answer.sum("shuffleFetchWaitTime", of: stages))
        #expect(value(.inputBytes) == answer.sum("inputBytes", of: stages))
        #expect(value(.outputBytes) == answer.sum("outputBytes", of: stages))
        #expect(value(.memorySpillBytes) == answer.sum("memoryBytesSpilled", of: stages))
        #expect(value(.diskSpillBytes) == answer.sum("diskBytesSpilled", of: stages))
        #expect(value(.executorRunTimeMs) == answer.sum("executorRunTime", of: stages))
        // CPU time: the same nanoseconds, converted to milliseconds (rounded) once.
        #expect(value(.executorCPUTimeMs) == (answer.sum("executorCpuTime", of: stages) + 500_000) / 1_000_000)
        let ended = answer.sum("numCompleteTasks", of: stages) + answer.sum("numFailedTasks", of: stages) + answer.sum("numKilledTasks", of: stages)
        #expect(value(.tasks) == ended)
        #expect(value(.failedTasks) == answer.sum("numFailedTasks", of: stages))
        // Stages that ran: every attempt the History Server lists except those never submitted.
        let ran = stages.filter { !["SKIPPED", "PENDING"].contains($0["status"] as? String ?? "") }
        #expect(value(.stages) == Int64(ran.count))
        #expect(value(.failedStages) == Int64(ran.filter { $0["status"] as? String == "FAILED" }.count))
    }

    @Test(arguments: try answers())
    func executorTotalsEqualTheHistoryServers(answer: Answer) throws {
        let metrics = try Self.imported(answer.appID).events.metrics
        func value(_ field: MetricsSummary.Field) -> Int64 { Int64(metrics.value(field) ?? -1) }
        let executors = answer.executors
        // The History Server's executor view drops the task ends that arrive after their executor
        // was removed (Resubmitted tasks of a lost executor); the stage view keeps them.
        let removed = executors.contains { $0["removeTime"] != nil }
        if removed {
            #expect(value(.tasks) >= answer.sum("totalTasks", of: executors))
            #expect(value(.failedTasks) >= answer.sum("failedTasks", of: executors))
        } else {
            #expect(value(.tasks) == answer.sum("totalTasks", of: executors))
            #expect(value(.failedTasks) == answer.sum("failedTasks", of: executors))
        }
        #expect(value(.shuffleReadBytes) == answer.sum("totalShuffleRead", of: executors))
        #expect(value(.shuffleWriteBytes) == answer.sum("totalShuffleWrite", of: executors))
        #expect(value(.inputBytes) == answer.sum("totalInputBytes", of: executors))
        // Peak JVM heap: the History Server's peak executor metrics, in MiB rounded up.
        func peakMiB(_ rows: [[String: Any]]) -> Int64? {
            let peaks = rows.compactMap { (($0["peakMemoryMetrics"] as? [String: Any])?["JVMHeapMemory"] as? NSNumber)?.int64Value }
            guard let peak = peaks.max(), peak > 0 else { return nil }
            return (peak + 1_048_575) / 1_048_576
        }
        let driver = executors.filter { $0["id"] as? String == "driver" }
        #expect(metrics.value(.peakDriverMemoryMB).map { Int64($0) } == peakMiB(driver))
        #expect(metrics.value(.peakExecutorMemoryMB).map { Int64($0) } == peakMiB(executors.filter { $0["id"] as? String != "driver" }))
        let others = executors.filter { $0["id"] as? String != "driver" }
        #expect(value(.executorsAdded) == Int64(others.count))
    }

    @Test(arguments: try answers())
    func identityAndOutcomeFollowTheApplication(answer: Answer) throws {
        let events = try Self.imported(answer.appID).events
        let attempts = try #require(answer.application["attempts"] as? [[String: Any]])
        let completed = attempts.first?["completed"] as? Bool ?? false
        #expect(events.executionID == answer.appID)
        #expect(events.jobPath == answer.application["name"] as? String)
        #expect((events.finalState != nil) == completed)
        #expect(events.envelopes.map { $0["event_type"]?.stringValue ?? "" }
            == (completed ? ["SUBMIT", "RUNNING", "METRICS_SUMMARY", "TERMINAL"] : ["SUBMIT", "RUNNING", "METRICS_SUMMARY"]))
        let submit = try #require(events.envelopes.first?["payload"]?.objectValue)
        #expect(submit["owner"]?.stringValue == attempts.first?["sparkUser"] as? String)
        #expect(submit["submit_time"] == nil)
        #expect(events.envelopes.first?["timestamp"] == .int(Int64(((attempts.first?["startTimeEpoch"] as? NSNumber)?.int64Value) ?? -1)))
        if completed {
            #expect(events.envelopes.last?["timestamp"] == .int(Int64(((attempts.first?["endTimeEpoch"] as? NSNumber)?.int64Value) ?? -1)))
            let failedStage = answer.stages.contains { $0["status"] as? String == "FAILED" }
            #expect((events.finalState == "FAILED") == failedStage)
        }
    }
}
