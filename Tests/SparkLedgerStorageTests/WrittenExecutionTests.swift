import Testing
import SparkLedgerCore
@testable import SparkLedgerStorage

struct WrittenExecutionTests {
    @Test func takingTheExecutionHandsItOverWholeAndLeavesAnEmptySnapshot() {
        var snapshot = ExecutionSnapshot(executionID: "exec-1")
        snapshot.team = "payments"
        snapshot.jobPath = "payments/etl/ledger_daily_rollup"
        snapshot.eventCount = 3
        let stored = StoredExecution(key: 42, snapshot: snapshot, costUSD: 1.25)
        var row = WrittenExecution(execution: stored, contribution: nil)
        let taken = row.takeExecution()
        #expect(taken == stored)
        #expect(row.execution.key == 42)
        #expect(row.execution.snapshot == ExecutionSnapshot(executionID: ""))
        #expect(row.execution.costUSD == nil)
    }
}
