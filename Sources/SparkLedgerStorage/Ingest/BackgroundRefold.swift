import Dispatch
import SparkLedgerCore

/// Refolds (executions that heard an event sorting before what was folded) worked out on another
/// thread while the writer writes other snapshots (`WriteSession.finish`). The writer reads each
/// execution's rows of the log, since the connection is its own and the rows include what this
/// transaction appended; decoding them, parsing every payload again and folding need no
/// connection. They were ~13 % of the writer's instructions (callgrind), and a transaction's
/// `finish`, which the writer does alone while the parser waits for room, is when the other core
/// is idle.
final class BackgroundRefold: @unchecked Sendable {
    struct Execution {
        var key: Int64
        var executionID: String
        var groups: [StoredEventReader.StoredGroup]
    }

    /// One thread for every store's refolds: a writer waits for its own before it goes on.
    private static let queue = DispatchQueue(label: "sparkledger-refold", qos: .userInitiated)

    // Set by `init`, then by the job before it signals `done`; read after `done`.
    private var executions: [Execution]
    private var outcome: Result<[ExecutionSnapshot], Error> = .success([])
    private let done = DispatchSemaphore(value: 0)
    private var waited = false

    /// Starts folding `executions` (nothing is started for none).
    init(_ executions: [Execution]) {
        self.executions = executions
        guard !executions.isEmpty else {
            waited = true
            return
        }
        Self.queue.async { [self] in
            ThreadName.setCurrent("sl-refold")
            // The job's own: most refolded events' payloads are a few dozen texts.
            let recent = RecentPayloads()
            outcome = Result { try self.executions.map { try Self.refold($0, recent: recent) } }
            self.executions = []
            done.signal()
        }
    }

    /// The refolded snapshots, in the order of the executions given, handed over (call once).
    func wait() throws -> [ExecutionSnapshot] {
        if !waited {
            done.wait()
            waited = true
        }
        defer { outcome = .success([]) }
        return try outcome.get()
    }

    private static func refold(_ execution: Execution, recent: RecentPayloads) throws -> ExecutionSnapshot {
        ExecutionFold.fold(executionID: execution.executionID,
                           events: try StoredEventReader.events(of: execution.groups, key: execution.key, executionID: execution.executionID,
                                                                recent: recent))
    }
}
