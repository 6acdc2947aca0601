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
// Ingest and replay also print each thread's CPU and its share of the phase's wall time (sampled
// from /proc every 50 ms): `main` is ingest's writer, `sl-ingest-parse` its parser.
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

/// Each thread's CPU during a phase and its share of the phase's wall time (threads under 0.05 s
/// left out): the busiest bounds the phase.
func reportThreads(_ usage: [ThreadCPUSampler.Usage], _ time: Double) {
    let shown = usage.filter { $0.seconds >= 0.05 }
    print("  threads: " + shown.map { String(format: "%@ %.2f s (%.0f %%)", $0.name, $0.seconds, $0.seconds / time * 100) }.joined(separator: ", "))
}

/// Runs `body` with the threads' CPU sampled.
func sampled(_ body: () throws -> Void) rethrows -> (seconds: Double, threads: [ThreadCPUSampler.Usage]) {
    let sampler = ThreadCPUSampler()
    sampler.start()
    let time: Double
    do {
        time = try seconds(body)
    } catch {
        _ = sampler.stop()
        throw error
    }
    return (time, sampler.stop())
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
    let (ingestTime, ingestThreads) = try sampled { ingestedReport = try FileIngestor(store: store, configuration: configuration).ingest([file]) }
    guard let ingested = ingestedReport else { exit(1) }
    report("ingest", Int(ingested.lines), ingestTime)
    reportThreads(ingestThreads, ingestTime)

    guard phases.contains("replay") else { exit(0) }
    var replayedReport: ReplayReport?
    let (replayTime, replayThreads) = try sampled { replayedReport = try store.replay() }
    guard let replayed = replayedReport else { exit(1) }
    report("replay", Int(replayed.events), replayTime)
    reportThreads(replayThreads, replayTime)
    print("replay identical: \(replayed.identical); accepted \(ingested.total.accepted), duplicates \(ingested.total.duplicates), quarantined \(ingested.total.quarantinedTotal)")
    if arguments.count <= 2 {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
    }
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
