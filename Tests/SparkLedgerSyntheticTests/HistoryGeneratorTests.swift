import Foundation
import SparkLedgerCore
import SparkLedgerSynthetic
import Testing

@Suite struct HistoryGeneratorTests {
    static func generate(_ configuration: HistoryConfiguration) -> (lines: [[UInt8]], summary: HistorySummary) {
        var generator = HistoryGenerator(configuration)
        var lines: [[UInt8]] = []
        generator.generate { lines.append($0) }
        return (lines, generator.summary)
    }

    static let sample = generate(HistoryConfiguration(executions: 1500, seed: 42))

    /// The valid events of the sample, parsed by Foundation (independent of the code under test).
    static var events: [[String: Any]] {
        sample.lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] }
    }

    @Test func theSameSeedGivesTheSameBytes() {
        let again = Self.generate(HistoryConfiguration(executions: 1500, seed: 42))
        #expect(again.lines == Self.sample.lines)
        let other = Self.generate(HistoryConfiguration(executions: 1500, seed: 43))
        #expect(other.lines != Self.sample.lines)
    }

    @Test func summaryCountsWhatWasWritten() {
        let summary = Self.sample.summary
        #expect(summary.executions == 1500)
        #expect(summary.lines == Self.sample.lines.count)
        #expect(summary.lines == summary.events + summary.duplicates)
        let ids = Set(Self.events.compactMap { $0["event_id"] as? String })
        #expect(ids.count == summary.events)
        #expect(Set(Self.events.compactMap { $0["execution_id"] as? String }).count == 1500)
    }

    @Test func everyLineIsAValidEventAtTheEndOfHistory() {
        let end = HistoryConfiguration.defaultEnd
        for line in Self.sample.lines {
            guard case .success(let event) = EventValidator().validate(line, ingestTime: end) else {
                Issue.record("invalid: \(String(decoding: line, as: UTF8.self).prefix(200))")
                return
            }
            #expect(event.timestamp <= end)
        }
    }

    @Test func theHistoryLooksLikeAPlatform() {
        var types: [String: Int] = [:]
        var vendors: [String: Int] = [:]
        var states: [String: Int] = [:]
        var teams: Set<String> = []
        var finals: [String: Int] = [:]
        var retries = 0
        var oom = 0
        for event in Self.events {
            let type = event["event_type"] as? String ?? ""
            types[type, default: 0] += 1
            let payload = event["payload"] as? [String: Any] ?? [:]
            if type == "SUBMIT" {
                vendors[payload["vendor"] as? String ?? "", default: 0] += 1
                teams.insert(payload["team"] as? String ?? "")
                if payload["parent_execution_id"] != nil { retries += 1 }
            }
            if type == "STATE" { states[payload["operator_state"] as? String ?? "", default: 0] += 1 }
            if type == "TERMINAL" {
                finals[payload["final_state"] as? String ?? "", default: 0] += 1
                if payload["exit_code"] as? Int == 137 { oom += 1 }
            }
        }
        #expect(Set(types.keys) == Set(EventType.allCases.map(\.rawValue)))
        #expect(teams.count == 12)
        #expect(vendors["SK8", default: 0] > vendors["EMR", default: 0] && vendors["EMR", default: 0] > 0 && vendors["DBR", default: 0] > 0)
        #expect(states["ScheduledToRestart", default: 0] > 0)
        #expect(finals["SUCCEEDED", default: 0] > 10 * finals["FAILED", default: 0] / 2)
        #expect(finals["FAILED", default: 0] > 0 && finals["CANCELLED", default: 0] > 0)
        #expect(oom > 0)
        #expect(retries > 0)
    }

    @Test func someEventsArriveLateAndSomeTwice() {
        var outOfOrder = 0
        var latest: Int64 = 0
        for event in Self.events {
            let time = (event["timestamp"] as? NSNumber)?.int64Value ?? 0
            if time + 60_000 < latest { outOfOrder += 1 }
            latest = max(latest, time)
        }
        #expect(outOfOrder > Self.events.count / 200)
        #expect(Self.sample.summary.duplicates > Self.sample.summary.events / 200)
    }

    @Test func requestsAreOverProvisionedAsRealJobsAre() {
        // Requested executor memory ÷ the peak it reached, per successful run.
        var requested: [String: Double] = [:]
        var ratios: [Double] = []
        for event in Self.events {
            let payload = event["payload"] as? [String: Any] ?? [:]
            let execution = event["execution_id"] as? String ?? ""
            if let resources = payload["resources"] as? [String: Any], let executor = resources["executor"] as? [String: Any],
               let memory = executor["memory_mb"] as? Double {
                requested[execution] = memory
            }
            if let peak = payload["peak_executor_memory_mb"] as? Double, peak > 0, let memory = requested[execution] {
                ratios.append(memory / peak)
            }
        }
        ratios.sort()
        #expect(ratios.count > 500)
        let median = ratios[ratios.count / 2]
        #expect(median > 1.5 && median < 4)
        #expect(ratios.first ?? 0 >= 0.99)  // peaks never exceed the limit: those runs are OOM-killed
    }

    @Test func invalidRecordsCoverEveryReason() {
        let bad = Self.generate(HistoryConfiguration(executions: 200, seed: 5, invalidRate: 0.05)).summary
        #expect(Set(bad.invalid.keys) == Set(RejectionReason.allCases).subtracting([.tooLarge]))
    }
}
