import GRDB
@testable import SparkLedgerStorage
import Testing

@Suite struct ExecutionRowTests {
    /// Each of the sixteen updates sets every projection column but the indexed ones it leaves
    /// out, each with the parameter `ExecutionRow.bind` gives it.
    @Test func anUpdateSetsExactlyTheIndexedColumnsThatChanged() throws {
        for mask in 0...ExecutionRow.IndexedColumns.all.rawValue {
            let changed = ExecutionRow.IndexedColumns(rawValue: mask)
            let sql = ExecutionRow.updateSQL(setting: changed)
            let set = sql.split(separator: " SET ")[1].split(separator: " WHERE ")[0]
            let assigned = set.split(separator: ", ").map { $0.split(separator: " = ").map(String.init) }
            let expected = ExecutionRow.columns.enumerated().filter { index, column in
                guard let bit = ExecutionRow.indexedColumns.firstIndex(of: column) else { return true }
                return changed.contains(ExecutionRow.IndexedColumns(rawValue: 1 << bit))
            }
            #expect(assigned.map { $0[0] } == expected.map(\.element), "mask \(mask)")
            #expect(assigned.map { $0[1] } == expected.map { "?\($0.offset + 2)" }, "mask \(mask)")
            #expect(sql.hasSuffix("WHERE execution_key = ?1"))
        }
        #expect(ExecutionRow.updateSQL(setting: []).contains("end_time") == false)
        #expect(ExecutionRow.updateSQL(setting: .endTime).contains("job_path") == false)
    }

    /// A history whose executions end, restart and arrive late rewrites rows with every kind of
    /// change; the indexes must still agree with the table, and each one must list every row.
    @Test func indexesAgreeWithTheTableAfterPartialUpdates() throws {
        let fixture = try StoreFixture()
        let history = StoreFixture.history(executions: 400, seed: 8, lateRate: 0.1)
        _ = try fixture.appendAll(history.lines, batchSize: 150)
        try fixture.store.read { db in
            #expect(try String.fetchAll(db, sql: "PRAGMA integrity_check") == ["ok"])
            let rows = try Int.fetchOne(db, sql: "SELECT count(*) FROM executions") ?? 0
            #expect(rows > 300)
            let ended = try Int.fetchOne(db, sql: "SELECT count(*) FROM executions NOT INDEXED WHERE end_time IS NOT NULL") ?? 0
            #expect(ended > 200)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM executions INDEXED BY executions_by_end_time WHERE end_time IS NOT NULL") == ended)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM executions INDEXED BY executions_by_team WHERE team IS NOT NULL")
                == (try Int.fetchOne(db, sql: "SELECT count(*) FROM executions NOT INDEXED WHERE team IS NOT NULL")))
        }
    }
}
