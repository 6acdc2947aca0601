import Foundation
import SparkLedgerCore
@testable import SparkLedgerStorage
import Testing

/// `job_versions` moves for exactly the jobs a transaction touched.
@Suite struct JobVersionTests {
    @Test func onlyTouchedJobsGetANewVersion() throws {
        let fixture = try StoreFixture()
        let submit = { (event: String, execution: String, job: String) in
            Envelope.make(event, execution: execution, type: "SUBMIT", payload: #"{"job_path":"\#(job)","team":"t"}"#)
        }
        try fixture.append([submit("e1", "x1", "team/a"), submit("e2", "x2", "team/b")])
        let first = try fixture.store.logPosition()
        #expect(try fixture.store.jobVersion("team/a") == first)
        #expect(try fixture.store.jobVersion("team/b") == first)
        #expect(try fixture.store.jobPaths() == ["team/a", "team/b"])
        // A RUNNING event of job a's execution: a moves, b stays.
        try fixture.append([Envelope.make("e3", execution: "x1", type: "RUNNING", at: 1_790_000_001_000)])
        #expect(try fixture.store.jobVersion("team/a") == fixture.store.logPosition())
        #expect(try fixture.store.jobVersion("team/a") != first)
        #expect(try fixture.store.jobVersion("team/b") == first)
        #expect(try fixture.store.jobVersion("team/none") == nil)
        let runs = try fixture.store.sizingRuns(jobPath: "team/a")
        #expect(runs.map(\.executionID) == ["x1"])
        #expect(runs.first?.state == .running)
    }
}
