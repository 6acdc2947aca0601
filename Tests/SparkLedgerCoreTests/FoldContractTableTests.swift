import SparkLedgerCore
import Testing

/// Contract §5, row by row: the event table, then the operator-state table.
@Suite struct FoldEventTableTests {
    typealias F = EventFactory

    @Test func startsSubmittedWithAttemptOneAndNothingElse() {
        let snapshot = ExecutionSnapshot(executionID: "exec-1")
        #expect(snapshot.state == .submitted)
        #expect(snapshot.attempt == 1)
        #expect(snapshot.finalBy == .none)
        #expect(snapshot.jobPath == nil && snapshot.submitTime == nil && snapshot.metrics == nil)
        #expect(snapshot.incomplete)
    }

    @Test func firstSubmitSetsIdentityAndDefaults() {
        let s = F.fold(F.submit(0, attempt: 2, extra: ",\"owner\":\"ana\",\"labels\":{\"tier\":\"gold\"},\"parent_execution_id\":\"exec-0\""))
        #expect(s.jobPath == "ads/etl/clicks")
        #expect(s.team == "ads")
        #expect(s.owner == "ana")
        #expect(s.namespace == "sjns-ads")  // default sjns-<team>
        #expect(s.vendor == .sk8)  // default vendor
        #expect(s.attempt == 2)
        #expect(s.parentExecutionID == "exec-0")
        #expect(s.labelsJSON == #"{"tier":"gold"}"#)
        #expect(s.submitTime == F.base)
        #expect(!s.incomplete)
    }

    @Test func laterSubmitsAreIgnored() {
        let s = F.fold(F.submit(0, id: "a", team: "ads"), F.submit(1000, id: "b", team: "search"))
        #expect(s.team == "ads")
        #expect(s.submitTime == F.base)
        #expect(s.eventCount == 2)
    }

    @Test func theFirstSubmitIsFirstInFoldOrderNotInArrival() {
        let late = F.submit(-5000, id: "late", team: "early-team")
        var s = F.fold(F.submit(0, id: "first-arrived", team: "ads"))
        s = ExecutionFold.fold(executionID: "exec-1", events: [F.submit(0, id: "first-arrived", team: "ads"), late])
        #expect(s.team == "early-team")
        #expect(s.submitTime == F.base - 5000)
    }

    @Test func runningSetsStateAndKeepsTheFirstStartTime() {
        let s = F.fold(F.submit(0), F.running(30_000, id: "r1"), F.running(60_000, id: "r2"))
        #expect(s.state == .running)
        #expect(s.startTime == F.base + 30_000)
        #expect(s.queueMs == 30_000)
    }

    @Test func runningAfterAVerdictOnlyOverwritesNonNullURLs() {
        let s = F.fold(
            F.submit(0, extra: ",\"spark_ui_url\":\"http://ui/old\",\"logs_url\":\"http://logs/old\""),
            F.state(10_000, "Succeeded"),
            F.running(20_000, payload: #"{"spark_ui_url":"http://ui/new","logs_url":null,"vendor_run_id":"spark-9"}"#))
        #expect(s.state == .succeeded)  // final_by = operator: RUNNING does not reopen
        #expect(s.startTime == nil)
        #expect(s.sparkUIURL == "http://ui/new")
        #expect(s.logsURL == "http://logs/old")  // null does not overwrite
        #expect(s.vendorRunID == "spark-9")
    }

    @Test func stateAlwaysRecordsTheOperatorStateEvenAfterTheRunner() {
        let s = F.fold(F.submit(0), F.terminal(10_000, "FAILED"), F.state(20_000, "RunningHealthy"))
        #expect(s.operatorState == "RunningHealthy")
        #expect(s.state == .failed)
        #expect(s.finalBy == .runner)
    }

    @Test func laterMetricsSummaryReplacesTheEarlierOne() {
        let s = F.fold(
            F.submit(0),
            F.metrics(20_000, id: "m2", #"{"tasks":30}"#),
            F.metrics(10_000, id: "m1", #"{"tasks":10,"shuffle_read_bytes":5}"#))
        #expect(s.metrics?.count(.tasks) == 30)
        #expect(s.metrics?.count(.shuffleReadBytes) == nil)  // replaced, never added
        #expect(s.metricsJSON == #"{"tasks":30}"#)
    }

    @Test func cancelEndsAnUnfinishedExecution() {
        let s = F.fold(F.submit(0), F.running(5000), F.cancel(9000))
        #expect(s.state == .cancelled)
        #expect(s.finalBy == .runner)
        #expect(s.endTime == F.base + 9000)
        #expect(s.cancelRequestedTime == F.base + 9000)
        #expect(s.durationMs == 4000)
    }

    @Test func cancelAfterAVerdictOnlyRecordsTheRequest() {
        let s = F.fold(F.submit(0), F.state(5000, "Succeeded"), F.cancel(9000, id: "c1"), F.cancel(12_000, id: "c2"))
        #expect(s.state == .succeeded)
        #expect(s.finalBy == .operator)
        #expect(s.endTime == F.base + 5000)
        #expect(s.cancelRequestedTime == F.base + 9000)  // ??=: the first request counts
    }

    @Test func terminalOverridesTheOperatorVerdict() {
        let s = F.fold(F.submit(0), F.state(5000, "Failed"),
                       F.terminal(8000, "SUCCEEDED"))
        #expect(s.state == .succeeded)
        #expect(s.finalBy == .runner)
        #expect(s.endTime == F.base + 8000)
    }

    @Test func terminalCopiesTheErrorFields() {
        let s = F.fold(F.submit(0), F.terminal(8000, "FAILED", errorClass: "SYSTEM", exitCode: 137, message: "OOMKilled"))
        #expect(s.state == .failed)
        #expect(s.errorClass == .system)
        #expect(s.exitCode == 137)
        #expect(s.errorMessage == "OOMKilled")
    }

    @Test func terminalIsIgnoredOnceTheRunnerHasDecided() {
        let s = F.fold(F.submit(0), F.cancel(5000), F.terminal(8000, "FAILED", errorClass: "USER"))
        #expect(s.state == .cancelled)
        #expect(s.endTime == F.base + 5000)
        #expect(s.errorClass == nil)
    }

    @Test func foldOrderIsTimestampThenRankThenEventID() {
        // Same timestamp: SUBMIT 0 < STATE 1 < RUNNING 2 < METRICS 3 < CANCEL 4 < TERMINAL 5.
        let events = [
            F.terminal(100, "SUCCEEDED"), F.cancel(100), F.metrics(100, "{}"), F.running(100), F.state(100, "Failed"), F.submit(100),
        ]
        let keys = events.sorted { $0.foldKey < $1.foldKey }.map(\.type)
        #expect(keys == [.submit, .state, .running, .metricsSummary, .cancel, .terminal])
        // STATE Failed (operator verdict) then RUNNING (ignored), CANCEL (state final: ignored), TERMINAL overrides.
        let s = ExecutionFold.fold(executionID: "exec-1", events: events)
        #expect(s.state == .succeeded)
        #expect(s.finalBy == .runner)
        #expect(s.cancelRequestedTime == F.base + 100)
        // Equal timestamp and rank: event_id decides, by UTF-8 bytes.
        let a = F.metrics(200, id: "B-second", #"{"tasks":2}"#)
        let b = F.metrics(200, id: "A-first", #"{"tasks":1}"#)
        #expect(ExecutionFold.fold(executionID: "exec-1", events: [a, b]).metrics?.count(.tasks) == 2)
    }

    @Test func derivedFields() {
        // RUNNING before SUBMIT: queue clamps at 0; duration from start.
        let s = F.fold(F.running(-2000), F.submit(0), F.terminal(10_000, "SUCCEEDED"))
        #expect(s.queueMs == 0)
        #expect(s.durationMs == 12_000)
        #expect(s.eventCount == 3)
        #expect(s.lastEventTime == F.base + 10_000)
        // Never started: duration from submit.
        let queued = F.fold(F.submit(0), F.cancel(4000))
        #expect(queued.durationMs == 4000)
        #expect(queued.queueMs == nil)
        // No SUBMIT: incomplete, no identity, yet state still folds.
        let orphan = F.fold(F.running(0), F.terminal(1000, "FAILED"))
        #expect(orphan.incomplete)
        #expect(orphan.state == .failed)
        #expect(orphan.team == nil)
        #expect(orphan.durationMs == 1000)
    }

    @Test func costOnlyOnceThereAreMetrics() {
        #expect(F.fold(F.submit(0)).costUSD(prices: .openCostDefaults) == nil)
        let s = F.fold(F.submit(0), F.metrics(10, #"{"executor_core_seconds":3600}"#))
        #expect(s.costUSD(prices: .openCostDefaults) == 0.031611)
    }
}

@Suite struct FoldOperatorStateTableTests {
    typealias F = EventFactory

    static let noEffect = ["Submitted", "DriverRequested", "SomethingNew"]
    static let running = ["DriverStarted", "DriverReady", "InitializedBelowThresholdExecutors", "RunningHealthy", "RunningWithBelowThresholdExecutors"]
    static let application = ["Failed", "DriverEvicted", "DriverReadyTimedOut"]
    static let infrastructure = ["DriverStartTimedOut", "ExecutorsStartTimedOut", "SchedulingFailure"]
    static let released = ["ResourceReleased", "TerminatedWithoutReleaseResources"]

    @Test(arguments: noEffect)
    func noEffectStatesNeverMoveStateBack(name: String) {
        let s = F.fold(F.submit(0), F.running(1000), F.state(2000, name))
        #expect(s.state == .running)
        #expect(s.operatorState == name)
        #expect(s.finalBy == .none)
    }

    @Test(arguments: running)
    func runningStatesStartTheExecution(name: String) {
        let s = F.fold(F.submit(0), F.state(3000, name), F.state(9000, name, id: "again"))
        #expect(s.state == .running)
        #expect(s.startTime == F.base + 3000)
        // With an operator verdict they do nothing.
        let done = F.fold(F.submit(0), F.state(3000, "Succeeded"), F.state(9000, name))
        #expect(done.state == .succeeded)
        #expect(done.startTime == nil)
    }

    @Test func succeededIsAnOperatorVerdict() {
        let s = F.fold(F.submit(0), F.state(1000, "RunningHealthy"), F.state(7000, "Succeeded"))
        #expect(s.state == .succeeded)
        #expect(s.finalBy == .operator)
        #expect(s.endTime == F.base + 7000)
        #expect(s.failureKind == nil)
    }

    @Test(arguments: application)
    func applicationFailures(name: String) {
        let s = F.fold(F.submit(0), F.state(5000, name))
        #expect(s.state == .failed)
        #expect(s.failureKind == .application)
        #expect(s.finalBy == .operator)
        #expect(s.endTime == F.base + 5000)
    }

    @Test(arguments: infrastructure)
    func infrastructureFailures(name: String) {
        let s = F.fold(F.submit(0), F.state(5000, name))
        #expect(s.state == .failed)
        #expect(s.failureKind == .infrastructure)
        #expect(s.finalBy == .operator)
        // A second operator verdict does not replace the first.
        let twice = F.fold(F.submit(0), F.state(5000, name), F.state(6000, "Succeeded"))
        #expect(twice.state == .failed && twice.endTime == F.base + 5000)
    }

    @Test(arguments: released)
    func resourcesReleasedAlwaysApplies(name: String) {
        for finalEvent in [nil, F.state(100, "Succeeded"), F.terminal(100, "FAILED")] {
            let events = [F.submit(0), F.state(9000, name)] + (finalEvent.map { [$0] } ?? [])
            let s = ExecutionFold.fold(executionID: "exec-1", events: events)
            #expect(s.resourcesReleasedTime == F.base + 9000)
        }
    }

    @Test func restartWithoutVerdictStartsANewAttempt() {
        let s = F.fold(F.submit(0, attempt: 1), F.state(1000, "RunningHealthy"), F.state(5000, "ScheduledToRestart"))
        #expect(s.state == .submitted)
        #expect(s.attempt == 2)
        #expect(s.startTime == F.base + 1000)
    }

    @Test func restartReopensAnOperatorVerdict() {
        let s = F.fold(F.submit(0), F.state(1000, "RunningHealthy"), F.state(5000, "Failed"),
                       F.state(6000, "ScheduledToRestart"))
        #expect(s.state == .submitted)
        #expect(s.finalBy == .none)
        #expect(s.endTime == nil)
        #expect(s.failureKind == nil)
        #expect(s.attempt == 2)
        // … and the new attempt can finish.
        let finished = F.fold(F.submit(0), F.state(5000, "Failed"), F.state(6000, "ScheduledToRestart"),
                              F.state(9000, "DriverStarted"), F.state(20_000, "Succeeded"))
        #expect(finished.state == .succeeded)
        #expect(finished.attempt == 2)
        #expect(finished.endTime == F.base + 20_000)
    }

    @Test func restartDoesNothingOnceTheRunnerHasDecided() {
        let s = F.fold(F.submit(0), F.terminal(5000, "FAILED"), F.state(6000, "ScheduledToRestart"))
        #expect(s.state == .failed)
        #expect(s.attempt == 1)
        #expect(s.finalBy == .runner)
    }

    @Test func attemptCountsRestartsWhereverTheyFall() {
        // A restart that sorts before the SUBMIT still counts on top of the SUBMIT's attempt.
        let s = F.fold(F.state(-1000, "ScheduledToRestart"), F.submit(0, attempt: 3), F.state(500, "ScheduledToRestart", id: "r2"))
        #expect(s.attempt == 5)
    }

    @Test func everyNamedOperatorStateHasTheContractsEffect() {
        for name in OperatorStateEffect.knownStates {
            let effect = OperatorStateEffect(operatorState: name)
            switch effect {
            case .none: #expect(Self.noEffect.contains(name))
            case .running: #expect(Self.running.contains(name))
            case .restart: #expect(name == "ScheduledToRestart")
            case .succeeded: #expect(name == "Succeeded")
            case .failed(.application): #expect(Self.application.contains(name))
            case .failed(.infrastructure): #expect(Self.infrastructure.contains(name))
            case .resourcesReleased: #expect(Self.released.contains(name))
            }
        }
        #expect(OperatorStateEffect(operatorState: "runninghealthy") == .none)  // names are case-sensitive
    }
}
