import Foundation
import SparkLedgerTestSupport
import Testing

/// Issue 5's quality bar, checked as users check it: on a generated history of 20,000 executions
/// (jobs requesting 1.5–4× their peaks, some with growing inputs, some running out of memory now
/// and then), the backtest's recommendations cost at least 30 % less than the requests with at
/// most 2 % of runs under-provisioned. The CLI runs off the cooperative pool: it takes most of a
/// minute, and the suite's Kafka consumers need the pool meanwhile.
@Suite struct SizingQualityBarTests {
    let directory = TemporaryDirectory("sparkledger-sizing-bar")

    @Test func recommendationsSaveAThirdWithoutUnderProvisioning() async throws {
        let history = directory.file("history.ndjson.zst")
        let db = directory.file("sizing.db")
        let generated = try await SparkLedgerBinary.runOffThePool(["generate", "--executions", "20000", "--seed", "5", "--out", history], directory: directory.path)
        #expect(generated.status == 0, "\(generated.error)")
        let ingested = try await SparkLedgerBinary.runOffThePool(["ingest", "--db", db, history], directory: directory.path)
        #expect(ingested.status == 0, "\(ingested.error)")
        let backtest = try await SparkLedgerBinary.runOffThePool(["backtest", "--db", db, "--format", "json"], directory: directory.path)
        #expect(backtest.status == 0, "\(backtest.error)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(backtest.output.utf8)) as? [String: Any])
        let total = try #require(report["total"] as? [String: Any])
        let scored = try #require((total["runs_scored"] as? NSNumber)?.intValue)
        let underPercent = try #require((total["under_provisioned_pct"] as? NSNumber)?.doubleValue)
        let saving = try #require((total["saving_pct"] as? NSNumber)?.doubleValue)
        let avoided = try #require((total["avoided_ooms"] as? NSNumber)?.intValue)
        #expect(scored > 18_000)
        #expect(underPercent <= 2, "under-provisioned \(underPercent) %")
        #expect(saving >= 30, "saving \(saving) %")
        #expect(avoided > 0)
    }
}
