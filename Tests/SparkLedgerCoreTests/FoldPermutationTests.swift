import SparkLedgerCore
import Testing

/// A snapshot is a function of the set of events: every arrival order gives the same snapshot,
/// whether folded at once or applied one by one with a refold whenever an event arrives late.
@Suite struct FoldPermutationTests {
    typealias F = EventFactory

    static let scenarios: [(String, [ExecutionEvent])] = [
        ("success", [F.submit(0), F.state(500, "Submitted"), F.state(20_000, "DriverStarted"), F.running(22_000),
                     F.metrics(590_000, #"{"executor_core_seconds":1200,"tasks":40}"#), F.state(600_000, "Succeeded"),
                     F.terminal(601_000, "SUCCEEDED")]),
        ("operator restart", [F.submit(0), F.state(10_000, "DriverStarted"), F.state(50_000, "Failed"),
                              F.state(51_000, "ScheduledToRestart"), F.state(70_000, "DriverStarted", id: "ds2"),
                              F.state(200_000, "Succeeded"), F.state(230_000, "ResourceReleased")]),
        ("cancel races the verdict", [F.submit(0), F.running(5000), F.cancel(9000), F.state(9000, "Failed"),
                                       F.terminal(9000, "CANCELLED"), F.metrics(8000, #"{"tasks":3}"#)]),
        ("runner overrides", [F.submit(0, attempt: 2), F.state(1000, "SchedulingFailure"), F.terminal(3000, "SUCCEEDED"),
                              F.state(4000, "ScheduledToRestart"), F.running(2000), F.state(5000, "TerminatedWithoutReleaseResources")]),
        ("same timestamps", [F.submit(100), F.state(100, "RunningHealthy"), F.running(100), F.metrics(100, id: "m1", #"{"tasks":1}"#),
                             F.metrics(100, id: "m2", #"{"tasks":2}"#), F.cancel(100), F.terminal(100, "FAILED")]),
    ]

    @Test(arguments: 0..<scenarios.count)
    func everyOrderGivesTheSameSnapshot(scenario: Int) {
        let (name, events) = Self.scenarios[scenario]
        let expected = ExecutionFold.fold(executionID: "exec-1", events: events)
        var orders = 0
        permutations(of: Array(events.indices)) { order in
            orders += 1
            let arrived = order.map { events[$0] }
            #expect(ExecutionFold.fold(executionID: "exec-1", events: arrived) == expected, "\(name): \(order)")
            #expect(incrementally(arrived) == expected, "\(name), incremental: \(order)")
        }
        #expect(orders == (1...events.count).reduce(1, *))
    }

    /// What the store does: apply in order when possible, otherwise refold everything seen so far.
    private func incrementally(_ arrived: [ExecutionEvent]) -> ExecutionSnapshot {
        var seen: [ExecutionEvent] = []
        var snapshot = ExecutionSnapshot(executionID: "exec-1")
        for event in arrived {
            seen.append(event)
            if ExecutionFold.canApplyInOrder(event, to: snapshot) {
                ExecutionFold.apply(event, to: &snapshot)
            } else {
                snapshot = ExecutionFold.fold(executionID: "exec-1", events: seen)
            }
        }
        return snapshot
    }

    private func permutations(of items: [Int], _ body: ([Int]) -> Void) {
        var items = items
        func permute(_ k: Int) {
            if k == items.count {
                body(items)
                return
            }
            for index in k..<items.count {
                items.swapAt(k, index)
                permute(k + 1)
                items.swapAt(k, index)
            }
        }
        permute(0)
    }
}
