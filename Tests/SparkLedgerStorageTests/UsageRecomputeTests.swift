import GRDB
import SparkLedgerCore
@testable import SparkLedgerStorage
import Testing

/// A usage row is recomputed when one of its executions' contributions changed, and only then;
/// the job's version moves for every change to its executions.
@Suite struct UsageRecomputeTests {
    @Test func aChangeThatAddsNothingToUsageLeavesTheRowAlone() throws {
        let fixture = try StoreFixture()
        let submit = Envelope.make("s1", execution: "x1", type: "SUBMIT", payload: #"{"job_path":"team/a","team":"t"}"#)
        try fixture.append([submit, Envelope.make("r1", execution: "x1", type: "RUNNING", at: 1_790_000_001_000)])
        // Every write to the row from now on leaves a mark.
        try fixture.withDatabase { db in
            try db.execute(sql: """
                CREATE TABLE usage_writes (n INTEGER);
                CREATE TRIGGER usage_updated AFTER UPDATE ON daily_usage BEGIN INSERT INTO usage_writes VALUES (1); END;
                CREATE TRIGGER usage_inserted AFTER INSERT ON daily_usage BEGIN INSERT INTO usage_writes VALUES (1); END;
                """)
        }
        let before = try fixture.store.dailyUsage()

        // The operator's state changes nothing that usage counts: no write, but a new job version.
        let state = Envelope.make("o1", execution: "x1", type: "STATE", at: 1_790_000_002_000, payload: #"{"operator_state":"Running","attempt":0}"#)
        try fixture.append([state])
        #expect(try fixture.count("usage_writes") == 0)
        #expect(try fixture.store.dailyUsage() == before)
        #expect(try fixture.store.jobVersion("team/a") == fixture.store.logPosition())
        #expect(try fixture.store.execution(id: "x1")?.snapshot.operatorState == "Running")

        // Metrics change what the execution adds: the row is rewritten with them.
        let metrics = Envelope.make("m1", execution: "x1", type: "METRICS_SUMMARY", at: 1_790_000_003_000,
                                    payload: #"{"tasks":12,"failed_tasks":1,"executor_core_seconds":100,"executor_memory_mb_seconds":2048}"#)
        try fixture.append([metrics])
        #expect(try fixture.count("usage_writes") == 1)
        let row = try #require(try fixture.store.dailyUsage().first)
        #expect(row.tasks == 12 && row.failedTasks == 1 && row.coreSeconds == 100)
        #expect(try fixture.store.replay(dryRun: true).identical)
    }
}
