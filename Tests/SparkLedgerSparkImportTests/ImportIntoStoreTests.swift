import Foundation
import SparkLedgerCore
import SparkLedgerIngest
import SparkLedgerStorage
import SparkLedgerTestSupport
import Testing

/// Imported applications become executions like any other: stored once however often they are
/// imported, and the same whether stored directly or emitted as NDJSON and ingested.
@Suite struct ImportIntoStoreTests {
    let directory = TemporaryDirectory("sparkledger-spark-store")
    static let ingestTime: Int64 = 1_800_000_000_000

    private func store(_ name: String) throws -> SQLiteEventStore {
        try SQLiteEventStore(StoreConfiguration(path: directory.file(name), clock: { Self.ingestTime }))
    }

    private func fixtures() throws -> [SparkEventLogImporter.Application] {
        try HistoryServerAgreementTests.importedAll.get().values.sorted { $0.events.executionID < $1.events.executionID }
    }

    private func snapshots(_ store: SQLiteEventStore) throws -> [String: ExecutionSnapshot] {
        var all: [String: ExecutionSnapshot] = [:]
        try store.forEachExecution(ExecutionFilter()) { all[$0.snapshot.executionID] = $0.snapshot }
        return all
    }

    @Test func importingTwiceStoresNothingTwice() throws {
        let applications = try fixtures()
        let store = try store("twice.db")
        let first = try SparkEventLogImporter.ingest(applications, into: store, ingestTime: Self.ingestTime)
        let events = applications.reduce(0) { $0 + $1.events.envelopes.count }
        #expect(first.accepted == events)
        #expect(first.quarantinedTotal == 0)
        let again = try SparkEventLogImporter.ingest(applications, into: store, ingestTime: Self.ingestTime)
        #expect(again.accepted == 0 && again.duplicates == events && again.quarantinedTotal == 0)

        let stored = try snapshots(store)
        #expect(stored.count == applications.count)
        // The applications written here by script/spark_eventlog_apps.py asked for 2 × 2g executors.
        let generated = applications.filter { $0.events.jobPath.hasPrefix("analytics/") }
        #expect(generated.count == 6)
        for application in generated {
            let snapshot = try #require(stored[application.events.executionID])
            #expect(snapshot.resources?.executor?.memoryMB == 2048)
            #expect(snapshot.resources?.executor?.cores == 2)
            #expect(snapshot.resources?.executor?.instances == 3)
            #expect(snapshot.resources?.driver?.memoryMB == 1024)
            #expect(snapshot.resources?.dynamicAllocation?.maxExecutors == 6)
            #expect(snapshot.namespace == "sjns-analytics")
        }
        for application in applications {
            let snapshot = try #require(stored[application.events.executionID])
            #expect(snapshot.jobPath == application.events.jobPath)
            #expect(snapshot.team == "analytics")
            #expect(snapshot.state.rawValue == (application.events.finalState ?? "RUNNING"))
            #expect(snapshot.metrics == application.events.metrics)
        }
    }

    @Test func emittedNDJSONIngestsToTheSameSnapshots() throws {
        let applications = try fixtures()
        let direct = try store("direct.db")
        _ = try SparkEventLogImporter.ingest(applications, into: direct, ingestTime: Self.ingestTime)
        let file = directory.write("events.ndjson", SparkEventLogImporter.ndjson(applications))
        let viaFile = try store("file.db")
        let report = try FileIngestor(store: viaFile).ingest([file])
        #expect(report.total.accepted == applications.reduce(0) { $0 + $1.events.envelopes.count })
        #expect(try snapshots(viaFile) == snapshots(direct))
    }
}
