import Foundation
import SparkLedgerArchive
import SparkLedgerCore
import SparkLedgerIngest
import SparkLedgerStorage

// Times each phase of ingest on one file, so an optimisation can be measured where it applies:
//   read      decompress and split into lines
//   validate  + parse, validate and canonicalise every line (the parser thread's work)
//   ingest    the whole pipeline into a new database (both threads)
//   replay    rebuild every projection of that database
// Usage: sparkledger-benchmark FILE [DB]
//   PHASES=read,parse,validate,ingest,replay selects phases; TRANSACTION_RECORDS sets records per
//   ingest transaction (default 50000, as `sparkledger ingest`), TRANSACTION_SECONDS the time that also ends one (default
//   2; under valgrind set it high, so that record counts alone decide and runs compare); BATCH_SIZE and
//   QUEUE_DEPTH the parser's batches and how many wait for the writer (defaults as `sparkledger ingest`).

SQLiteProcessMode.useMultiThreadMode()  // as `sparkledger` does

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    return (ContinuousClock.now - start).inSeconds
}

func report(_ phase: String, _ count: Int, _ time: Double) {
    print(String(format: "%-9@ %10d records  %7.3f s  %9.0f records/s  %6.2f µs/record", phase, count, time, Double(count) / time, time / Double(count) * 1e6))
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: sparkledger-benchmark FILE [DB]\n".utf8))
    exit(2)
}
let file = arguments[1]
let database = arguments.count > 2 ? arguments[2] : NSTemporaryDirectory() + "sparkledger-benchmark-\(getpid()).db"
let validator = EventValidator()
let phases = Set((ProcessInfo.processInfo.environment["PHASES"] ?? "read,validate,ingest,replay").split(separator: ",").map(String.init))
let now = StoreConfiguration.systemClock()

do {
    var lines = 0
    if phases.contains("read") {
    let readTime = try seconds {
        try EventFileReader(path: file, maximumLineBytes: Contract.maximumEnvelopeBytes).forEachLine { _ in
            lines += 1
            return true
        }
    }
    report("read", lines, readTime)
    }

    if phases.contains("parse") {
        var parsed = 0
        let parseTime = try seconds {
            try EventFileReader(path: file, maximumLineBytes: Contract.maximumEnvelopeBytes).forEachLine { line in
                if case .line(_, let bytes) = line, (try? JSONParser.parse(buffer: bytes)) != nil { parsed += 1 }
                return true
            }
        }
        report("parse", parsed, parseTime)
    }

    var accepted = 0
    if phases.contains("validate") {
    let validateTime = try seconds {
        try EventFileReader(path: file, maximumLineBytes: Contract.maximumEnvelopeBytes).forEachLine { line in
            if case .line(_, let bytes) = line, case .success = validator.validate(bytes, ingestTime: now) { accepted += 1 }
            return true
        }
    }
    report("validate", accepted, validateTime)
    }
    guard phases.contains("ingest") else { exit(0) }

    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
    let store = try SQLiteEventStore(StoreConfiguration(path: database))
    var ingestedReport: IngestReport?
    let records = Int(ProcessInfo.processInfo.environment["TRANSACTION_RECORDS"] ?? "50000") ?? 50_000  // as `sparkledger ingest`
    let limit = Double(ProcessInfo.processInfo.environment["TRANSACTION_SECONDS"] ?? "2") ?? 2
    let defaults = FileIngestConfiguration()
    let batchSize = Int(ProcessInfo.processInfo.environment["BATCH_SIZE"] ?? "") ?? defaults.batchSize
    let queueDepth = Int(ProcessInfo.processInfo.environment["QUEUE_DEPTH"] ?? "") ?? defaults.queueDepth
    let configuration = FileIngestConfiguration(batchSize: batchSize, transactionRecords: records, transactionSeconds: limit, queueDepth: queueDepth)
    let ingestTime = try seconds { ingestedReport = try FileIngestor(store: store, configuration: configuration).ingest([file]) }
    guard let ingested = ingestedReport else { exit(1) }
    report("ingest", Int(ingested.lines), ingestTime)

    guard phases.contains("replay") else { exit(0) }
    var replayedReport: ReplayReport?
    let replayTime = try seconds { replayedReport = try store.replay() }
    guard let replayed = replayedReport else { exit(1) }
    report("replay", Int(replayed.events), replayTime)
    print("replay identical: \(replayed.identical); accepted \(ingested.total.accepted), duplicates \(ingested.total.duplicates), quarantined \(ingested.total.quarantinedTotal)")
    if arguments.count <= 2 {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
    }
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
