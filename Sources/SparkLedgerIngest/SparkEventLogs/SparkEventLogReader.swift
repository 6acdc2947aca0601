import SparkLedgerArchive
import SparkLedgerCore

/// Reads one application's event log — plain or zstd-compressed, one file or a rolling log's
/// files in order — as a stream, in bounded memory, into a `SparkApplicationLog`.
///
/// Spark writes every event as one JSON line that begins `{"Event":"<class>"`; lines of events
/// the fold does not use (task starts, block updates, SQL plans: most of a log's bytes besides
/// task ends) are recognised by that prefix and not parsed. A line that is not JSON stops the
/// import with its file and line number, unless it is the cut-off last line of a log still being
/// written; `skipMalformedLines` skips such lines instead (they are counted).
public struct SparkEventLogReader {
    /// Longest line parsed; longer lines of unused events are skipped by their prefix.
    public var maximumLineBytes = 256 * 1024 * 1024
    public var skipMalformedLines = false

    public init(skipMalformedLines: Bool = false) {
        self.skipMalformedLines = skipMalformedLines
    }

    public struct Result: Sendable {
        public var log: SparkApplicationLog
        public var lines: Int64 = 0
        public var bytes: Int64 = 0
        /// Lines skipped as malformed (only with `skipMalformedLines`, or the cut-off last line).
        public var malformedLines: [(file: String, line: Int64)] = []
    }

    public func read(_ input: SparkEventLogInput, progress: (Int64) -> Void = { _ in }) throws(SparkImportError) -> Result {
        var result = Result(log: SparkApplicationLog())
        var sawSparkEvent = false
        var bytesBefore: Int64 = 0
        for (fileIndex, file) in input.files.enumerated() {
            let reader: EventFileReader
            do {
                reader = try EventFileReader(path: file, maximumLineBytes: maximumLineBytes, chunkSize: 1 << 20)
            } catch {
                throw SparkImportError(path: file, error.message)
            }
            let lastFile = fileIndex == input.files.count - 1
            // A malformed line is judged when the next line arrives: only the very last line of
            // an in-progress log may be cut off.
            var pendingMalformed: (line: Int64, message: String)?
            func settle(_ pending: (line: Int64, message: String)?) throws(SparkImportError) {
                guard let pending else { return }
                guard skipMalformedLines else { throw SparkImportError(path: file, line: pending.line, pending.message) }
                result.malformedLines.append((file, pending.line))
            }
            do {
                try reader.forEachLine { event in
                    try settle(pendingMalformed)
                    pendingMalformed = nil
                    switch event {
                    case .line(let number, let bytes):
                        result.lines += 1
                        if number & 0xFFF == 0 { progress(bytesBefore + reader.file.bytesRead.load(ordering: .relaxed)) }
                        if LineSplitter.isBlank(bytes) { return true }
                        let name = Self.eventName(bytes)
                        if let name {
                            sawSparkEvent = true
                            guard SparkApplicationLog.eventsUsed.contains(name) else { return true }
                        }
                        let value: JSONValue
                        do {
                            value = try JSONParser.parse(buffer: bytes, omitting: SparkApplicationLog.unusedMembers)
                        } catch {
                            if !sawSparkEvent { throw SparkImportError(path: file, line: number, "not a Spark event log: the line is not JSON (\(error))") }
                            pendingMalformed = (number, "malformed JSON (\(error))")
                            return true
                        }
                        guard case .object(let object) = value, case .string(let parsedName)? = object["Event"] else {
                            if !sawSparkEvent {
                                throw SparkImportError(path: file, line: number, "not a Spark event log: the line is not a Spark listener event (no \"Event\" field)")
                            }
                            return true
                        }
                        sawSparkEvent = true
                        result.log.consume(object, name: parsedName)
                    case .oversized(let number, let prefix, let size):
                        result.lines += 1
                        if let name = Self.eventName(prefix), !SparkApplicationLog.eventsUsed.contains(name) {
                            sawSparkEvent = true
                            return true
                        }
                        throw SparkImportError(path: file, line: number, "a line of \(size) bytes, longer than the \(maximumLineBytes)-byte limit")
                    }
                    return true
                }
            } catch let error as SparkImportError {
                throw error
            } catch let error as ArchiveError {
                throw SparkImportError(path: file, error.message)
            } catch {
                throw SparkImportError(path: file, "\(error)")
            }
            if let pending = pendingMalformed {
                if input.inProgress && lastFile {
                    result.malformedLines.append((file, pending.line))  // cut off mid-write
                } else {
                    try settle(pending)
                }
            }
            bytesBefore += reader.file.bytesRead.load(ordering: .relaxed)
            progress(bytesBefore)
        }
        result.bytes = bytesBefore
        guard result.lines > 0 else { throw SparkImportError(path: input.path, "empty: no events") }
        guard sawSparkEvent else { throw SparkImportError(path: input.path, "not a Spark event log: no line is a Spark listener event") }
        guard result.log.hasStarted else {
            throw SparkImportError(path: input.path, "no SparkListenerApplicationStart: not the whole event log of a Spark application")
        }
        return result
    }

    private static let prefix = Array(#"{"Event":""#.utf8)

    /// The event class of a line that begins `{"Event":"<class>"`, without parsing the line.
    static func eventName(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard bytes.count > prefix.count + 1 else { return nil }
        for index in 0..<prefix.count where bytes[index] != prefix[index] { return nil }
        var end = prefix.count
        while end < bytes.count && bytes[end] != UInt8(ascii: "\"") {
            if bytes[end] == UInt8(ascii: "\\") { return nil }  // escaped: let the parser read it
            end += 1
        }
        guard end < bytes.count else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[prefix.count..<end]), as: UTF8.self)
    }
}
