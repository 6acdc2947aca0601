/// The fold of contract §5: `(ExecutionSnapshot, ExecutionEvent) -> ExecutionSnapshot`, applied
/// to an execution's events sorted by `(timestamp, rank, event_id)`.
public enum ExecutionFold {
    /// Folds a set of events of one execution from the start. Order of `events` does not matter.
    public static func fold(executionID: String, events: some Sequence<ExecutionEvent>) -> ExecutionSnapshot {
        fold(executionID: executionID, events: Array(events))
    }

    /// As above, for an array, which replay and refolds have. Not generic: called from another
    /// module, the generic form ran unspecialised and copied every event into a new array (a
    /// retain and a release of each of its strings).
    public static func fold(executionID: String, events: consuming [ExecutionEvent]) -> ExecutionSnapshot {
        var ordered = events
        // Events read back from the log are usually in fold order already (they arrived in it).
        if ordered.indices.dropFirst().contains(where: { ExecutionEvent.foldOrder(ordered[$0], ordered[$0 - 1]) }) {
            ordered.sort(by: ExecutionEvent.foldOrder)
        }
        var snapshot = ExecutionSnapshot(executionID: executionID)
        for index in ordered.indices {
            applyLeavingCursor(ordered[index], to: &snapshot)
        }
        if let last = ordered.last { snapshot.foldCursor = last.foldKey }
        return snapshot
    }

    /// Whether `event` can be applied to `snapshot` directly: it sorts after every event already in it.
    public static func canApplyInOrder(_ event: borrowing ExecutionEvent, to snapshot: ExecutionSnapshot) -> Bool {
        guard let cursor = snapshot.foldCursor else { return true }
        return event.sortsAfter(cursor)
    }

    /// Applies one event that sorts after every event already folded into `snapshot`.
    public static func apply(_ event: borrowing ExecutionEvent, to snapshot: inout ExecutionSnapshot) {
        applyLeavingCursor(event, to: &snapshot)
        snapshot.foldCursor = event.foldKey
    }

    /// `apply` without moving `snapshot.foldCursor`, for a caller that applies several events in
    /// fold order and then sets the cursor once, to the last one's key. Moving it at every event
    /// retained that event's id and released the one before (two atomic operations an event on
    /// the strings of another thread's objects, in ingest).
    public static func applyLeavingCursor(_ event: borrowing ExecutionEvent, to snapshot: inout ExecutionSnapshot) {
        let time = event.timestamp
        snapshot.eventCount += 1
        snapshot.lastEventTime = max(snapshot.lastEventTime ?? time, time)

        switch event.payload {
        case .submit(let submit):
            applySubmit(submit, at: time, to: &snapshot)

        case .running(let running):
            if snapshot.finalBy == .none {
                snapshot.state = .running
                if snapshot.startTime == nil { snapshot.startTime = time }
            }
            if let value = running.vendorRunID { snapshot.vendorRunID = value }
            if let value = running.sparkUIURL { snapshot.sparkUIURL = value }
            if let value = running.logsURL { snapshot.logsURL = value }

        case .state(let state):
            snapshot.operatorState = state.operatorState
            applyOperatorState(state.effect, at: time, to: &snapshot)

        case .metricsSummary(let metrics):
            snapshot.metrics = metrics
            snapshot.metricsJSON = event.canonicalPayload

        case .cancel:
            if snapshot.cancelRequestedTime == nil { snapshot.cancelRequestedTime = time }
            if !snapshot.state.isFinal {
                snapshot.state = .cancelled
                snapshot.finalBy = .runner
                snapshot.endTime = time
            }

        case .terminal(let terminal):
            // The runner is the system of record: its verdict overrides the operator's.
            if snapshot.finalBy != .runner {
                snapshot.state = terminal.finalState.executionState
                snapshot.finalBy = .runner
                snapshot.endTime = time
                snapshot.errorClass = terminal.errorClass
                snapshot.errorMessage = terminal.message
                snapshot.exitCode = terminal.exitCode
            }
        }
    }

    private static func applySubmit(_ submit: SubmitPayload, at time: Int64, to snapshot: inout ExecutionSnapshot) {
        guard !snapshot.hasSubmit else { return }  // later SUBMITs are ignored
        snapshot.hasSubmit = true
        snapshot.jobPath = submit.jobPath
        snapshot.team = submit.team
        snapshot.owner = submit.owner
        snapshot.namespace = submit.namespace
        snapshot.vendor = submit.vendor
        snapshot.vendorRunID = submit.vendorRunID
        snapshot.idempotencyKey = submit.idempotencyKey
        snapshot.parentExecutionID = submit.parentExecutionID
        snapshot.sparkVersion = submit.sparkVersion
        snapshot.resources = submit.resources
        snapshot.resourcesJSON = submit.resourcesJSON
        snapshot.labelsJSON = submit.labelsJSON
        snapshot.sparkUIURL = submit.sparkUIURL
        snapshot.logsURL = submit.logsURL
        snapshot.baseAttempt = submit.attempt
        snapshot.submitTime = time
    }

    private static func applyOperatorState(_ effect: OperatorStateEffect, at time: Int64, to snapshot: inout ExecutionSnapshot) {
        if effect == .resourcesReleased {
            snapshot.resourcesReleasedTime = time  // always applies
            return
        }
        switch snapshot.finalBy {
        case .runner:
            return  // the runner has decided; the operator's other rows do not apply
        case .none:
            switch effect {
            case .none, .resourcesReleased:
                break
            case .restart:
                snapshot.restarts += 1
                snapshot.state = .submitted
            case .running:
                snapshot.state = .running
                if snapshot.startTime == nil { snapshot.startTime = time }
            case .succeeded:
                snapshot.state = .succeeded
                snapshot.finalBy = .operator
                snapshot.endTime = time
            case .failed(let kind):
                snapshot.state = .failed
                snapshot.failureKind = kind
                snapshot.finalBy = .operator
                snapshot.endTime = time
            }
        case .operator:
            guard effect == .restart else { return }
            // Reopen: the operator's verdict is withdrawn and a new attempt begins.
            snapshot.restarts += 1
            snapshot.state = .submitted
            snapshot.finalBy = .none
            snapshot.endTime = nil
            snapshot.failureKind = nil
            snapshot.errorClass = nil
            snapshot.errorMessage = nil
            snapshot.exitCode = nil
        }
    }
}
