import SparkLedgerCore
import SparkLedgerStorage

/// Turns Spark event logs into ExecutionEvents (source `importer`): reads every log first, so a
/// bad one stops the run before anything is stored, then appends all their events in one
/// transaction, or writes them as NDJSON.
public struct SparkEventLogImporter {
    public var team: String?
    public var jobPathFrom: SparkJobPathSource
    public var reader: SparkEventLogReader

    public init(team: String? = nil, jobPathFrom: SparkJobPathSource = .appName, skipMalformedLines: Bool = false) {
        self.team = team
        self.jobPathFrom = jobPathFrom
        reader = SparkEventLogReader(skipMalformedLines: skipMalformedLines)
    }

    /// One imported application.
    public struct Application: Sendable {
        public var input: SparkEventLogInput
        public var read: SparkEventLogReader.Result
        public var events: SparkApplicationEvents
    }

    /// Reads the logs (`SparkEventLogInput.find` finds them). `progress` gets the bytes read so
    /// far, of all the logs together.
    public func read(_ inputs: [SparkEventLogInput], progress: (Int64) -> Void = { _ in }) throws(SparkImportError) -> [Application] {
        var applications: [Application] = []
        var bytesBefore: Int64 = 0
        for input in inputs {
            let read = try reader.read(input) { progress(bytesBefore + $0) }
            bytesBefore += read.bytes
            let events: SparkApplicationEvents
            do {
                events = try SparkApplicationEvents(read.log, team: team, jobPathFrom: jobPathFrom)
            } catch {
                throw SparkImportError(path: input.path, error.message)
            }
            applications.append(Application(input: input, read: read, events: events))
        }
        return applications
    }

    /// The applications' events as NDJSON lines (canonical JSON, one envelope per line).
    public static func ndjson(_ applications: [Application]) -> [UInt8] {
        var output: [UInt8] = []
        for application in applications {
            for envelope in application.events.envelopes {
                JSONWriter.write(.object(envelope), into: &output)
                output.append(0x0A)
            }
        }
        return output
    }

    /// Appends the applications' events to the store in one transaction; an envelope the
    /// contract rejects (a timestamp before 2000, say) goes to the quarantine with its log's path.
    public static func ingest(_ applications: [Application], into store: SQLiteEventStore, validator: EventValidator = EventValidator(),
                              ingestTime: Int64) throws(StoreError) -> AppendOutcome {
        var items: [IngestItem] = []
        for application in applications {
            for (index, envelope) in application.events.envelopes.enumerated() {
                let raw = JSONWriter.bytes(.object(envelope))
                let origin = InputOrigin.file(path: application.input.path, line: Int64(index + 1))
                switch validator.validate(raw, ingestTime: ingestTime) {
                case .success(let event): items.append(.event(ValidatedInput(event: event, origin: origin, raw: raw)))
                case .failure(let rejection): items.append(.rejected(QuarantinedInput(rejection: rejection, origin: origin, raw: raw)))
                }
            }
        }
        return try store.append(IngestBatch(items: items))
    }
}
