import Foundation
import SparkLedgerIngest
import SparkLedgerStorage
import SparkLedgerTestSupport
import Testing

/// `sparkledger serve` as a process: killed with SIGKILL mid-stream and restarted, it ends with
/// exactly what `ingest` gives; SIGTERM makes it commit, leave the group and exit 0.
@Suite(.serialized) struct ServeProcessTests {
    func startServe(_ history: PublishedHistory, db: String, group: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: SparkLedgerBinary.path)
        process.arguments = [
            "serve", "--brokers", history.client.brokers, "--topic", history.topic, "--group", group, "--db", db,
            "--batch-records", "50", "--batch-ms", "100",
            "--kafka-option", "session.timeout.ms=2000", "--kafka-option", "heartbeat.interval.ms=500",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    func waitUntil(_ condition: () throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while try !condition() {
            guard ContinuousClock.now < deadline else { throw TestBroker.Missing(description: "timed out waiting for serve") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    @Test func aKilledServeResumesWithoutLossOrDoubleApplication() async throws {
        let history = try PublishedHistory(executions: 2_500, seed: 12)
        let db = history.directory.file("served.db")
        let group = TestBroker.uniqueName("group")
        let store = try history.store("served.db")

        let first = try startServe(history, db: db, group: group)
        try await waitUntil { try history.appliedMessages(store) > 0 }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        let appliedAtKill = try history.appliedMessages(store)
        #expect(appliedAtKill > 0)
        #expect(appliedAtKill < Int64(history.lines), "the kill should land mid-stream; make the history larger")

        let second = try startServe(history, db: db, group: group)
        let restarted = ContinuousClock.now
        try await waitUntil { try history.appliedMessages(store) == Int64(history.lines) }
        // Known gap: a SIGTERM in serve's first milliseconds, before its handler is installed,
        // is lost (see docs/KAFKA.md); give it time to start.
        try await Task.sleep(until: restarted + .seconds(3))
        let stopping = ContinuousClock.now
        kill(second.processIdentifier, SIGTERM)
        second.waitUntilExit()
        #expect(second.terminationReason == .exit)
        #expect(second.terminationStatus == 0)
        #expect(ContinuousClock.now - stopping < .seconds(5))

        let (ingested, report) = try history.ingested()
        #expect(try snapshots(store) == snapshots(ingested))
        #expect(try store.usage() == ingested.usage())
        #expect(try store.quarantine().count == report.total.quarantinedTotal)
    }
}
