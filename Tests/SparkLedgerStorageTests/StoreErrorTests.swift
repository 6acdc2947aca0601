import GRDB
@testable import SparkLedgerStorage
import SparkLedgerCore
import Testing

/// A locked, read-only or full database gets a clear error naming the file; committed batches stay.
@Suite struct StoreErrorTests {
    @Test func aLockedDatabaseFailsAfterTheBusyTimeout() throws {
        let fixture = try StoreFixture { $0.busyTimeoutSeconds = 0.2 }
        try fixture.append([Envelope.submit("s1")])
        let holder = try DatabaseQueue(path: fixture.path)
        try holder.inDatabase { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            do {
                try fixture.append([Envelope.make("r1")])
                Issue.record("wrote through another process's lock")
            } catch let error as StoreError {
                #expect(error.kind == .locked)
                #expect(error.message.hasPrefix("database \(fixture.path) is locked by another process"))
            }
            try db.execute(sql: "ROLLBACK")
        }
        #expect(try fixture.append([Envelope.make("r1")]).accepted == 1)
    }

    @Test func aReadOnlyStoreRefusesToWrite() throws {
        let fixture = try StoreFixture()
        try fixture.append([Envelope.submit("s1")])
        let reader = try SQLiteEventStore(StoreConfiguration(path: fixture.path, readOnly: true))
        #expect(try reader.execution(id: "exec-1")?.snapshot.team == "ads")
        #expect { try reader.append(IngestBatch(items: StoreFixture.items([Envelope.make("r1")]))) } throws: {
            ($0 as? StoreError)?.kind == .readOnly && "\($0)".contains(fixture.path)
        }
        #expect { try SQLiteEventStore(StoreConfiguration(path: fixture.directory.file("none.db"), readOnly: true)) } throws: {
            "\($0)".hasPrefix("no database at ")
        }
    }

    @Test func aFullDiskRollsBackOnlyTheBatchInFlight() throws {
        let fixture = try StoreFixture { $0.maximumPageCount = 40 }  // 640 KiB of 16 KiB pages
        let history = StoreFixture.history(executions: 400, seed: 3)
        var committed = 0
        var failure: StoreError?
        var start = 0
        while start < history.lines.count {
            let batch = Array(history.lines[start..<min(history.lines.count, start + 100)])
            do {
                committed += try fixture.store.append(IngestBatch(items: StoreFixture.items(batch))).accepted
            } catch {
                failure = error
                break
            }
            start += 100
        }
        let error = try #require(failure)
        #expect(error.kind == .full)
        #expect(error.message.hasPrefix("disk full while writing \(fixture.path)"))
        #expect(committed > 0)
        #expect(try fixture.count("events") == committed)
        #expect(try fixture.store.replay(dryRun: true).identical)
    }

    @Test func notADatabase() throws {
        let fixture = try StoreFixture()
        let path = fixture.directory.write("garbage.db", Array(repeating: 0x41, count: 8192))
        #expect { try SQLiteEventStore(StoreConfiguration(path: path)) } throws: {
            ($0 as? StoreError)?.kind == .corrupt && "\($0)".contains(path)
        }
    }
}
