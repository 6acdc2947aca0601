import Foundation
import GRDB
@testable import SparkLedgerStorage
import SparkLedgerCore
import SparkLedgerSynthetic
import SparkLedgerTestSupport
import Testing

/// A store in a temporary directory, and ways to feed it.
final class StoreFixture {
    let directory = TemporaryDirectory()
    let path: String
    let store: SQLiteEventStore
    static let ingestTime: Int64 = 1_800_000_000_000

    init(_ name: String = "store.db", configure: (inout StoreConfiguration) -> Void = { _ in }) throws {
        path = directory.file(name)
        var configuration = StoreConfiguration(path: path, clock: { StoreFixture.ingestTime })
        configure(&configuration)
        store = try SQLiteEventStore(configuration)
    }

    /// Validates lines the way the file ingestor does.
    static func items(_ lines: [[UInt8]], file: String = "test.ndjson", firstLine: Int64 = 1) -> [IngestItem] {
        lines.enumerated().map { index, raw in
            let origin = InputOrigin.file(path: file, line: firstLine + Int64(index))
            switch EventValidator().validate(raw, ingestTime: ingestTime) {
            case .success(let event): return .event(ValidatedInput(event: event, origin: origin, raw: raw))
            case .failure(let rejection): return .rejected(QuarantinedInput(rejection: rejection, origin: origin, raw: raw))
            }
        }
    }

    static func items(_ lines: [String]) -> [IngestItem] { items(lines.map { Array($0.utf8) }) }

    @discardableResult
    func append(_ lines: [String], checkpoints: [IngestCheckpoint] = []) throws -> AppendOutcome {
        try store.append(IngestBatch(items: Self.items(lines), checkpoints: checkpoints))
    }

    /// Appends `lines` in batches of `batchSize`.
    @discardableResult
    func appendAll(_ lines: [[UInt8]], batchSize: Int) throws -> AppendOutcome {
        var total = AppendOutcome()
        var start = 0
        while start < lines.count {
            let end = min(lines.count, start + batchSize)
            total.add(try store.append(IngestBatch(items: Self.items(Array(lines[start..<end]), firstLine: Int64(start + 1)))))
            start = end
        }
        return total
    }

    /// Direct SQL on the file, as another tool would do it.
    func withDatabase<T>(_ body: (Database) throws -> T) throws -> T {
        let queue = try DatabaseQueue(path: path)
        return try queue.write(body)
    }

    /// The entries waiting in event_ids_recent (packed, 24 bytes each).
    func recentEventIDCount() throws -> Int {
        try store.read { db in try Int.fetchOne(db, sql: "SELECT coalesce(sum(length(entries)), 0) / 24 FROM event_ids_recent") ?? 0 }
    }

    /// The entries of the event-id index's blocks (event_id_blocks, packed, 24 bytes each).
    func blockedEventIDCount() throws -> Int {
        try store.read { db in try Int.fetchOne(db, sql: EventIDBlocks.countSQL) ?? 0 }
    }

    /// Every event id the store indexes: in event_id_blocks or waiting in event_ids_recent.
    func indexedEventIDCount() throws -> Int {
        try blockedEventIDCount() + recentEventIDCount()
    }

    /// Another store on the same file, as a restarted or second process opens it.
    static func reopen(_ fixture: StoreFixture, configure: (inout StoreConfiguration) -> Void = { _ in }) throws -> SQLiteEventStore {
        var configuration = StoreConfiguration(path: fixture.path, clock: { StoreFixture.ingestTime })
        configure(&configuration)
        return try SQLiteEventStore(configuration)
    }

    func count(_ table: String) throws -> Int {
        try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0 }
    }

    /// Every snapshot in the contract's JSON shape, by execution_id, plus daily usage: what a user
    /// sees, independent of the internal execution keys.
    func visibleState() throws -> (executions: [String: String], usage: [DailyUsage]) {
        var executions: [String: String] = [:]
        try store.forEachExecution(ExecutionFilter()) { execution in
            executions[execution.snapshot.executionID] = JSONWriter.string(.object(execution.contractJSON))
        }
        return (executions, try store.dailyUsage())
    }

    /// Distinct execution ids of the lines that are valid events, read with Foundation's JSON
    /// parser (independent of the code under test).
    static func executionIDs(in lines: [[UInt8]]) -> Set<String> {
        var ids: Set<String> = []
        for line in lines {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                  let id = object["execution_id"] as? String, EventValidator().validate(line, ingestTime: ingestTime).isSuccess else { continue }
            ids.insert(id)
        }
        return ids
    }

    static func history(executions: Int, seed: UInt64, invalidRate: Double = 0, duplicateRate: Double = 0.01, lateRate: Double = 0.02) -> (lines: [[UInt8]], summary: HistorySummary) {
        var generator = HistoryGenerator(HistoryConfiguration(
            executions: executions, seed: seed, lateRate: lateRate, duplicateRate: duplicateRate, invalidRate: invalidRate))
        var lines: [[UInt8]] = []
        generator.generate { lines.append($0) }
        return (lines, generator.summary)
    }
}

/// Small envelopes for hand-written cases.
enum Envelope {
    static func make(_ id: String, execution: String = "exec-1", type: String = "RUNNING", at timestamp: Int64 = 1_790_000_000_000,
                     payload: String = "{}") -> String {
        #"{"event_id":"\#(id)","execution_id":"\#(execution)","event_type":"\#(type)","timestamp":\#(timestamp),"source":"runner","schema_version":1,"payload":\#(payload)}"#
    }

    static func submit(_ id: String, execution: String = "exec-1", at timestamp: Int64 = 1_790_000_000_000, team: String = "ads") -> String {
        make(id, execution: execution, type: "SUBMIT", at: timestamp, payload: #"{"job_path":"\#(team)/etl/job","team":"\#(team)"}"#)
    }
}

extension Result {
    var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }
}
