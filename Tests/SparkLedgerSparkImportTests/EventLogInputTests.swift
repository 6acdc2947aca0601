import Foundation
import SparkLedgerArchive
import SparkLedgerCore
import SparkLedgerIngest
import SparkLedgerTestSupport
import Testing

/// Bad input gets one line naming the file (and line), in-progress logs import what is complete,
/// and unknown events and fields are skipped as the History Server skips them.
@Suite struct EventLogInputTests {
    let directory = TemporaryDirectory("sparkledger-spark-import")

    static let start = #"{"Event":"SparkListenerApplicationStart","App Name":"a/b","App ID":"app-1","Timestamp":1795864568415,"User":"ann"}"#
    static let task = #"{"Event":"SparkListenerTaskEnd","Stage ID":0,"Stage Attempt ID":0,"Task End Reason":{"Reason":"Success"},"Task Info":{"Task ID":1,"Executor ID":"1","Finish Time":1795864570000},"Task Metrics":{"Executor Run Time":120,"Executor CPU Time":90000000,"Shuffle Write Metrics":{"Shuffle Bytes Written":4096,"Shuffle Records Written":12}}}"#
    static let end = #"{"Event":"SparkListenerApplicationEnd","Timestamp":1795864578981}"#

    private func importing(_ paths: [String], skipMalformedLines: Bool = false) throws(SparkImportError) -> [SparkEventLogImporter.Application] {
        try SparkEventLogImporter(team: "t", skipMalformedLines: skipMalformedLines).read(try SparkEventLogInput.find(paths))
    }

    private func failure(_ paths: [String]) -> String {
        do {
            _ = try importing(paths)
            return "no error"
        } catch {
            return error.description
        }
    }

    private func write(_ name: String, _ lines: [String], newline: Bool = true) -> String {
        directory.write(name, Array((lines.joined(separator: "\n") + (newline ? "\n" : "")).utf8))
    }

    @Test func badInputIsOneLineNamingTheFile() throws {
        let empty = directory.write("empty", [])
        #expect(failure([empty]) == "\(empty): empty: no events")
        let other = write("other.json", [#"{"id": 1, "name": "not spark"}"#, #"{"id": 2}"#])
        #expect(failure([other]) == "\(other):1: not a Spark event log: the line is not a Spark listener event (no \"Event\" field)")
        let text = write("notes.txt", ["hello world"])
        #expect(failure([text]).hasPrefix("\(text):1: not a Spark event log: the line is not JSON"))
        // A zstd frame whose middle is damaged.
        var frame = try zstd(Array(String(repeating: Self.start + "\n" + Self.task + "\n", count: 50).utf8))
        frame[frame.count / 2] ^= 0xFF
        frame[frame.count / 2 + 1] ^= 0xFF
        let corrupt = directory.write("app-2.zstd", frame)
        #expect(failure([corrupt]).hasPrefix("\(corrupt): "))
        let lz4 = directory.write("app-3.lz4", [1, 2, 3])
        #expect(failure([lz4]).hasPrefix("\(lz4): compressed with lz4, which this importer does not read"))
        let folder = directory.file("nothing-here")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        _ = directory.write("nothing-here/.hidden", [1])
        #expect(failure([folder]) == "\(folder): no Spark event logs in this directory (files, or eventlog_v2_* rolling-log directories)")
        #expect(failure([directory.file("missing")]) == "\(directory.file("missing")): no such file or directory")
        let noStart = write("no-start", [Self.task, Self.end])
        #expect(failure([noStart]) == "\(noStart): no SparkListenerApplicationStart: not the whole event log of a Spark application")
        let broken = write("broken", [Self.start, #"{"Event":"SparkListenerTaskEnd","Stage ID":0,_"#, Self.end])
        #expect(failure([broken]).hasPrefix("\(broken):2: malformed JSON"))
        // One bad log among good ones: nothing is read into a result.
        let good = write("good", [Self.start, Self.task, Self.end])
        #expect(failure([good, broken]).hasPrefix("\(broken):2:"))
    }

    @Test func malformedLinesCanBeSkippedAndCounted() throws {
        let broken = write("broken", [Self.start, #"{"Event":"SparkListenerTaskEnd",_"#, Self.task, Self.end])
        let application = try #require(try importing([broken], skipMalformedLines: true).first)
        #expect(application.read.malformedLines.map(\.line) == [2])
        #expect(application.events.metrics.value(.tasks) == 1)
    }

    @Test func anInProgressLogImportsWhatIsCompleteAndStaysRunning() throws {
        let cut = String(Self.task.prefix(90))
        let log = write("app-1.inprogress", [Self.start, Self.task, cut], newline: false)
        let application = try #require(try importing([log]).first)
        #expect(application.events.finalState == nil)
        #expect(application.read.malformedLines.map(\.line) == [3])
        #expect(application.events.metrics.value(.tasks) == 1)
        #expect(application.events.metrics.value(.shuffleWriteBytes) == 4096)
        #expect(application.events.envelopes.map { $0["event_type"]?.stringValue ?? "" } == ["SUBMIT", "RUNNING", "METRICS_SUMMARY"])
        // The same cut in a finished log is an error.
        let finished = write("app-1", [Self.start, cut, Self.end])
        #expect(failure([finished]).hasPrefix("\(finished):2: malformed JSON"))
    }

    @Test func unknownEventsAndFieldsAreSkipped() throws {
        let log = write("app-1", [
            #"{"Event":"SparkListenerLogStart","Spark Version":"3.5.3"}"#,
            Self.start,
            #"{"Event":"com.example.CustomListenerEvent","Anything":{"deep":[1,2,3]}}"#,
            #"{"Event":"SparkListenerTaskEnd","Brand New Field":true,"Stage ID":0,"Stage Attempt ID":0,"Task End Reason":{"Reason":"ExceptionFailure","Class Name":"java.lang.RuntimeException"},"Task Info":{"Task ID":2,"Executor ID":"1","Finish Time":1795864571000},"Task Metrics":{"Executor Run Time":30,"Input Metrics":{"Bytes Read":100}}}"#,
            Self.task,
            Self.end,
        ])
        let application = try #require(try importing([log]).first)
        let metrics = application.events.metrics
        #expect(metrics.value(.tasks) == 2)
        #expect(metrics.value(.failedTasks) == 1)
        #expect(metrics.value(.executorRunTimeMs) == 150)
        #expect(metrics.value(.inputBytes) == 100)
        #expect(metrics.value(.executorCPUTimeMs) == 90)
        #expect(application.events.finalState == "SUCCEEDED")
    }

    @Test func sizesAreReadAsSparkReadsThem() {
        let configuration = SparkConfiguration(["a": "2g", "b": "512m", "c": "1024", "d": "4096k", "e": "1t", "f": "lots", "g": " 3G ", "h": "2gb"])
        #expect(configuration.megabytes("a") == 2048)
        #expect(configuration.megabytes("b") == 512)
        #expect(configuration.megabytes("c") == 1024)
        #expect(configuration.megabytes("d") == 4)
        #expect(configuration.megabytes("e") == 1_048_576)
        #expect(configuration.megabytes("f") == nil)
        #expect(configuration.megabytes("g") == 3072)
        #expect(configuration.megabytes("h") == 2048)
        #expect(configuration.megabytes("missing") == nil)
    }

    private func zstd(_ bytes: [UInt8]) throws -> [UInt8] {
        let compressor = try ZstdCompressor(path: "test")
        var output: [UInt8] = []
        try bytes.withUnsafeBytes { raw in try compressor.compress(raw) { output += $0 } }
        try compressor.finish { output += $0 }
        return output
    }
}
