import Foundation
import SparkLedgerArchive
import SparkLedgerCore
import SparkLedgerStorage

/// How `FileIngestor` batches its work.
public struct FileIngestConfiguration: Sendable {
    /// Records per batch handed from the parser thread to the writer; each one in flight costs memory.
    public var batchSize: Int
    /// Records per transaction: larger transactions amortise the commit and the rewrite of the
    /// event-id index. A transaction also ends after `transactionSeconds`. 50,000: the writer
    /// finishes a transaction alone while the parser can get only `queueDepth` batches ahead, so
    /// shorter finishes keep both threads busier; over a million lines ingest took 8.0 s against
    /// 8.6 s with 100,000 (medians of four interleaved runs), its peak RSS 256–260 MiB against
    /// 274–280 MiB, for ~8 % more CPU (more snapshot and usage rewrites); 30,000 was slower again.
    public var transactionRecords: Int
    public var transactionSeconds: Double
    /// Parsed batches waiting for the writer (each about 15 MB at 10,000 records). Four let the
    /// parser keep working while the writer finishes a transaction, which it does alone; with
    /// two, the writer then waited on the parser at the start of every transaction (0.6 s of a
    /// 1M-event ingest).
    public var queueDepth: Int
    public var validator: EventValidator
    /// Skip the lines an earlier, interrupted ingest of the same unchanged file committed.
    public var resume: Bool
    /// Ingest time for the timestamp check, epoch ms.
    public var clock: @Sendable () -> Int64
    /// Self-metrics of what each transaction committed.
    public var metrics: IngestMetrics

    public init(batchSize: Int = 10_000, transactionRecords: Int = 50_000, transactionSeconds: Double = 2,
                queueDepth: Int = 4, validator: EventValidator = EventValidator(), resume: Bool = true,
                clock: @escaping @Sendable () -> Int64 = StoreConfiguration.systemClock,
                metrics: IngestMetrics = IngestMetrics(input: "file")) {
        self.batchSize = batchSize
        self.transactionRecords = transactionRecords
        self.transactionSeconds = transactionSeconds
        self.queueDepth = queueDepth
        self.validator = validator
        self.resume = resume
        self.clock = clock
        self.metrics = metrics
    }
}

/// Ingests files of events into a store. A parser thread reads, decompresses, splits and
/// validates; the calling thread commits batches; a bounded queue between them keeps memory
/// flat and both cores busy. Each batch commits with its file checkpoint in one transaction.
public final class FileIngestor {
    private let store: SQLiteEventStore
    private let configuration: FileIngestConfiguration

    public init(store: SQLiteEventStore, configuration: FileIngestConfiguration = FileIngestConfiguration()) {
        self.store = store
        self.configuration = configuration
    }

    private enum Message: Sendable {
        case started(input: Int, resumedAfterLine: Int64)
        case batch(input: Int, IngestBatch, lines: Int64, blankLines: Int64)
        case failed(ArchiveError)
    }

    /// Ingests `paths` in order. Throws on the first unreadable input or database error; what was
    /// committed before stays committed and is in the store.
    public func ingest(_ paths: [String], progress: IngestProgress = IngestProgress()) throws(IngestError) -> IngestReport {
        let started = ContinuousClock.now
        let files: [String]
        do {
            files = try IngestInputs.expand(paths)
        } catch {
            throw IngestError(cause: .archive(error), committedRecords: 0)
        }
        var report = IngestReport()
        report.inputs = files.map { IngestReport.Input(path: $0) }

        let queue = BoundedBlockingQueue<Message>(capacity: configuration.queueDepth)
        // Batches the writer is done with go back to the parser thread to be freed there: freeing
        // tens of thousands of strings and arrays is work the writer need not do.
        let spent = BoundedBlockingQueue<IngestBatch>(capacity: 64)
        let parserDone = DispatchSemaphore(value: 0)
        ThreadName.startThread(named: "sl-ingest-parse") { [store, configuration] in
            defer {
                queue.close()
                parserDone.signal()
            }
            Self.parse(files, store: store, configuration: configuration, queue: queue, spent: spent, progress: progress)
        }
        defer {
            queue.close()  // lets the parser stop if we stopped first
            parserDone.wait()
        }

        var failure: ArchiveError?
        var input = 0
        var records = 0
        var committedRecords = 0
        var uncommitted = AppendOutcome()
        var previous: IngestBatch?
        do {
            try store.appendStream(
                transactionRecords: configuration.transactionRecords, transactionSeconds: configuration.transactionSeconds,
                next: {
                    if let done = previous {
                        previous = nil
                        spent.push(done)
                    }
                    while let message = queue.pop() {
                        switch message {
                        case .started(let index, let resumedAfterLine):
                            report.inputs[index].resumedAfterLine = resumedAfterLine
                        case .batch(let index, let batch, let lines, let blankLines):
                            input = index
                            records = batch.items.count
                            report.inputs[index].lines = max(report.inputs[index].lines, lines)
                            report.inputs[index].blankLines += blankLines
                            previous = batch
                            return batch
                        case .failed(let error):
                            failure = error
                            return nil  // commit what came before the damage
                        }
                    }
                    return nil
                },
                appended: { outcome in
                    report.inputs[input].outcome.add(outcome)
                    uncommitted.add(outcome)
                    progress.recordsCommitted.add(Int64(records), ordering: .relaxed)
                },
                committed: {
                    committedRecords += $0
                    configuration.metrics.record(uncommitted)
                    uncommitted = AppendOutcome()
                })
        } catch {
            throw IngestError(cause: .store(error), committedRecords: committedRecords)
        }
        if let failure { throw IngestError(cause: .archive(failure), committedRecords: committedRecords) }
        report.seconds = (ContinuousClock.now - started).inSeconds
        return report
    }

    // MARK: the parser thread

    private static func parse(_ files: [String], store: SQLiteEventStore, configuration: FileIngestConfiguration,
                              queue: BoundedBlockingQueue<Message>, spent: BoundedBlockingQueue<IngestBatch>, progress: IngestProgress) {
        defer { while spent.tryPop() != nil {} }
        let validator = configuration.validator
        for (index, path) in files.enumerated() {
            let reader: EventFileReader
            do {
                reader = try EventFileReader(path: path, maximumLineBytes: validator.maximumEnvelopeBytes)
            } catch {
                queue.push(.failed(error))
                return
            }
            let identity = FileIdentity(size: reader.file.size, modified: reader.file.modifiedNanoseconds)
            let source = IngestInputs.checkpointSource(for: path)
            var skipThrough: Int64 = 0
            if configuration.resume, let source, let stored = try? store.checkpoint(source: source),
               let storedIdentity = FileIdentity(json: stored.detail), storedIdentity.matches(identity), !storedIdentity.complete {
                skipThrough = stored.position
            }
            guard queue.push(.started(input: index, resumedAfterLine: skipThrough)) else { return }
            progress.bytesTotal.add(reader.file.size ?? 0, ordering: .relaxed)
            let bytesBefore = progress.bytesRead.load(ordering: .relaxed)

            var items: [IngestItem] = []
            items.reserveCapacity(configuration.batchSize)
            // A spent batch's item array, emptied, for the next batch: a new one each batch was
            // ~1 MB of new memory (~2,600 page faults in 300,000 lines).
            var spareItems: [IngestItem] = []
            var blankLines: Int64 = 0
            var lastLine: Int64 = 0
            var ingestTime = configuration.clock()
            var tape: JSONTape?
            let recent = RecentValues()
            var event: ExecutionEvent?

            /// Frees what the writer finished with, keeping one item array's storage.
            func freeSpent() {
                while var done = spent.tryPop() {
                    guard spareItems.capacity < configuration.batchSize else { continue }
                    done.items.removeAll(keepingCapacity: true)
                    swap(&spareItems, &done.items)
                }
            }

            func flush(complete: Bool) -> Bool {
                var checkpoints: [IngestCheckpoint] = []
                if let source {
                    var done = identity
                    done.complete = complete
                    checkpoints.append(IngestCheckpoint(source: source, position: lastLine, detail: done.json))
                }
                freeSpent()
                let batch = IngestBatch(items: items, checkpoints: checkpoints)
                items = []
                swap(&items, &spareItems)
                if items.capacity < configuration.batchSize { items.reserveCapacity(configuration.batchSize) }
                defer { blankLines = 0 }
                ingestTime = configuration.clock()
                return queue.push(.batch(input: index, batch, lines: lastLine, blankLines: blankLines))
            }

            do {
                try reader.forEachLine { line in
                    switch line {
                    case .line(let number, let bytes):
                        lastLine = number
                        guard number > skipThrough else { return true }
                        if LineSplitter.isBlank(bytes) {
                            blankLines += 1
                        } else {
                            let origin = InputOrigin.file(path: path, line: number)
                            // The tape's copy of the line is the raw bytes kept with the event.
                            // The event moves from the validator into its ValidatedInput, uncopied.
                            if let rejection = validator.validate(bytes, ingestTime: ingestTime, tape: &tape, recent: recent, into: &event) {
                                items.append(.rejected(QuarantinedInput(rejection: rejection, origin: origin, raw: tape?.document ?? Array(bytes))))
                            } else {
                                items.append(.event(ValidatedInput(event: event.take().unsafelyUnwrapped, origin: origin,
                                                                   raw: tape?.document ?? Array(bytes))))
                            }
                        }
                    case .oversized(let number, let prefix, let size):
                        lastLine = number
                        guard number > skipThrough else { return true }
                        items.append(.rejected(QuarantinedInput(
                            rejection: validator.tooLarge(size: size), origin: .file(path: path, line: number), raw: Array(prefix), rawSize: size)))
                    }
                    if lastLine & 0x3FF == 0 {
                        // Batches the writer is done with are freed here, not only at the next
                        // flush: one waited there for up to a batch of parsing (~15 MB).
                        freeSpent()
                        progress.linesRead.store(lastLine, ordering: .relaxed)
                        progress.bytesRead.store(bytesBefore + reader.file.bytesRead.load(ordering: .relaxed), ordering: .relaxed)
                    }
                    if items.count >= configuration.batchSize {
                        return flush(complete: false)
                    }
                    return true
                }
            } catch let error as ArchiveError {
                // Keep every complete line read before the damage, then stop the run.
                if flush(complete: false) { queue.push(.failed(error)) }
                return
            } catch {
                queue.push(.failed(ArchiveError(.unreadable, path: path, "\(error)")))
                return
            }
            progress.bytesRead.store(bytesBefore + reader.file.bytesRead.load(ordering: .relaxed), ordering: .relaxed)
            guard flush(complete: true) else { return }
        }
    }
}

/// Recognises an unchanged file between runs, for resuming: its size and modification time.
struct FileIdentity: Equatable {
    var size: Int64?
    var modified: Int64?
    var complete = false

    init(size: Int64?, modified: Int64?) {
        self.size = size
        self.modified = modified
    }

    init?(json: String?) {
        guard let json, case .object(let object)? = try? JSONParser.parse(json) else { return nil }
        if case .int(let size)? = object["size"] { self.size = size }
        if case .int(let modified)? = object["modified_ns"] { self.modified = modified }
        complete = object["complete"] == .bool(true)
    }

    func matches(_ other: FileIdentity) -> Bool {
        size != nil && modified != nil && size == other.size && modified == other.modified
    }

    var json: String {
        JSONWriter.string(.object(JSONObject([
            .init("size", size.map(JSONValue.int) ?? .null),
            .init("modified_ns", modified.map(JSONValue.int) ?? .null),
            .init("complete", .bool(complete)),
        ])))
    }
}
