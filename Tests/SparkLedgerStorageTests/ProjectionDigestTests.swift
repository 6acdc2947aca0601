import GRDB
@testable import SparkLedgerStorage
import Testing

/// The replay digest: added up range by range as replay writes, it equals the digest of the
/// whole store; and a change to any projection table changes it.
@Suite struct ProjectionDigestTests {
    @Test func rangesAddUpToTheDigestOfTheWholeStore() throws {
        let fixture = try StoreFixture()
        try fixture.appendAll(StoreFixture.history(executions: 120, seed: 3).lines, batchSize: 500)
        try fixture.withDatabase { db in
            let whole = try ProjectionDigest.compute(db)
            let keys = try Int64.fetchAll(db, sql: "SELECT execution_key FROM executions ORDER BY execution_key")
            #expect(keys.count == 120)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM execution_metrics") ?? 0 > 50)
            for step in [1, 7, 50, 1_000] {
                var digest = try ProjectionDigest(db)
                for index in stride(from: step - 1, to: keys.count, by: step) {
                    try digest.addExecutions(through: keys[index])
                    try digest.addExecutions(through: keys[index] - 1)  // a key already covered adds nothing
                }
                #expect(try digest.finish(db) == whole, "ranges of \(step) executions")
            }
            // Bounds that fall between rows, before the first and past the last.
            var digest = try ProjectionDigest(db)
            for bound in [keys[0] - 1, keys[3] + 1, keys[60], keys[119] + 1_000] {
                try digest.addExecutions(through: bound)
            }
            #expect(try digest.finish(db) == whole)
        }
    }

    @Test func aChangeToAnyProjectionTableChangesTheDigest() throws {
        let fixture = try StoreFixture()
        try fixture.appendAll(StoreFixture.history(executions: 60, seed: 8).lines, batchSize: 500)
        let edits = [
            "UPDATE executions SET state = 'FAILED' WHERE execution_key = (SELECT min(execution_key) FROM executions WHERE state = 'SUCCEEDED')",
            // NULL and the empty string are different values.
            "UPDATE executions SET error_message = '' WHERE execution_key = (SELECT min(execution_key) FROM executions WHERE error_message IS NULL)",
            "UPDATE executions SET cost_usd = cost_usd + 1e-9 WHERE execution_key = (SELECT max(execution_key) FROM executions WHERE cost_usd > 0)",
            "UPDATE execution_metrics SET payload = '{}' WHERE execution_key = (SELECT max(execution_key) FROM execution_metrics)",
            """
            UPDATE daily_usage SET tasks = tasks + 1
            WHERE (day, team, job_path, namespace, vendor) = (SELECT day, team, job_path, namespace, vendor FROM daily_usage LIMIT 1)
            """,
            "UPDATE daily_team_usage SET executions = executions + 1 WHERE (day, team) = (SELECT day, team FROM daily_team_usage ORDER BY day DESC LIMIT 1)",
        ]
        try fixture.withDatabase { db in
            let original = try ProjectionDigest.compute(db)
            for edit in edits {
                try db.inSavepoint {
                    try db.execute(sql: edit)
                    #expect(db.changesCount == 1, "\(edit) changed one row")
                    #expect(try ProjectionDigest.compute(db) != original, "\(edit)")
                    return .rollback
                }
            }
            #expect(try ProjectionDigest.compute(db) == original)
        }
    }
}
