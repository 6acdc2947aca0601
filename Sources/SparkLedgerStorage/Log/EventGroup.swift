import SparkLedgerCore

/// The log's row format (store version 6): the events one transaction appended to one execution,
/// as one `event_groups` row instead of a row each. A 50,000-event transaction of the generated
/// history touches ~5,200 executions, so the log takes a tenth of the b-tree inserts it took. Rows
/// are keyed by their first event's seq and written in that order, so they are only appended at
/// the end of the table, and pages of the log are written once (an index finds an execution's).
///
/// `events` is a JSON array, an element per event in append (seq) order:
///
///     [seq,"event_id","EVENT_TYPE",timestamp,"source",schema_version,payload_length,extensions_length,payload,extensions]
///
/// `payload` and `extensions` are the canonical JSON objects the validator wrote (`extensions`
/// is `null` when there are none, its length 0); their byte lengths come first so that a reader
/// takes them out without scanning them. The `events` view unpacks the array with `json_each`.
enum EventGroup {
    /// Adds one row; `Pending.write(key:using:)` binds it.
    static let insertSQL = "INSERT INTO event_groups (execution_key, first_seq, event_count, events) VALUES (?1, ?2, ?3, ?4)"

    /// One execution's events of a transaction not yet written: the array being built.
    struct Pending {
        private var bytes: [UInt8] = []
        private(set) var firstSeq: Int64 = 0
        private(set) var count = 0

        var isEmpty: Bool { count == 0 }

        init() {}

        /// Starts in `buffer`'s storage, emptied: a written row's array (`LogBufferPool`).
        init(reusing buffer: consuming [UInt8]) {
            bytes = buffer
            bytes.removeAll(keepingCapacity: true)
        }

        /// Whether it holds an array's storage yet (a new one holds none until its first event).
        var hasStorage: Bool { bytes.capacity > 0 }

        /// Appends an event; events come in ascending seq. Returns the bytes it added. Borrowed,
        /// so that `ValidatedInput.appendToLog` hands over its event without copying it (a copy
        /// retains and releases each of its strings, ~500 instructions an event).
        /// `eventIDNeedsEscaping`, when known, spares the scan of the id (the validating thread
        /// works it out: `ValidatedInput`).
        @discardableResult
        mutating func append(_ event: borrowing ExecutionEvent, seq: Int64, eventIDNeedsEscaping: Bool? = nil) -> Int {
            let before = bytes.count
            startElement(seq: seq)
            EventGroup.write(seq: seq, eventID: event.eventID, eventIDNeedsEscaping: eventIDNeedsEscaping, type: event.type,
                             timestamp: event.timestamp, source: event.source, schemaVersion: event.schemaVersion,
                             payload: event.canonicalPayload, extensions: event.canonicalExtensions, into: &bytes)
            return bytes.count - before
        }

        mutating func append(_ event: Logged) {
            startElement(seq: event.seq)
            EventGroup.write(seq: event.seq, eventID: event.eventID, type: event.type, timestamp: event.timestamp, source: event.source,
                             schemaVersion: event.schemaVersion, payload: event.canonicalPayload, extensions: event.canonicalExtensions,
                             into: &bytes)
        }

        private mutating func startElement(seq: Int64) {
            if count == 0 {
                firstSeq = seq
                bytes.reserveCapacity(1024)
                bytes.append(UInt8(ascii: "["))
            } else {
                bytes.append(UInt8(ascii: ","))
            }
            count += 1
        }

        /// The finished array, and the builder emptied for the next group.
        mutating func take() -> (firstSeq: Int64, count: Int, events: [UInt8]) {
            bytes.append(UInt8(ascii: "]"))
            defer { self = Pending() }
            return (firstSeq, count, bytes)
        }

        /// Writes the events as one row of execution `key` with `insert` (a statement of
        /// `insertSQL`), and empties the builder for the next group. Returns the row's array,
        /// emptied, its storage kept for another row (`LogBufferPool`).
        @discardableResult
        mutating func write(key: Int64, using insert: RawStatement) throws -> [UInt8] {
            var group = take()
            insert.bind(1, key)
            insert.bind(2, group.firstSeq)
            insert.bind(3, Int64(group.count))
            try insert.execute(bindingBorrowed: group.events, at: 4, as: .text)
            group.events.removeAll(keepingCapacity: true)
            return group.events
        }

        /// The events appended so far, decoded.
        func decoded() throws(EventGroup.FormatError) -> [Logged] {
            try withClosedArray { buffer throws(EventGroup.FormatError) in try EventGroup.decode(buffer) }
        }

        /// The event appended with `seq`, decoded alone; nil when there is none.
        func logged(seq: Int64) throws(EventGroup.FormatError) -> Logged? {
            try withClosedArray { buffer throws(EventGroup.FormatError) in try EventGroup.decode(buffer, seq: seq) }
        }

        private func withClosedArray<T>(_ body: (UnsafeBufferPointer<UInt8>) throws(EventGroup.FormatError) -> T) throws(EventGroup.FormatError) -> T {
            var closed = bytes
            closed.append(UInt8(ascii: "]"))
            return try closed.withUnsafeBufferPointer { buffer throws(EventGroup.FormatError) in try body(buffer) }
        }
    }

    /// An event as the log holds it: the execution_id is the row's key, the payload not yet parsed.
    struct Logged: Equatable {
        var seq: Int64
        var eventID: String
        var type: EventType
        var timestamp: Int64
        var source: EventSource
        var schemaVersion: Int
        var canonicalPayload: String
        var canonicalExtensions: String?

        /// The event, its payload parsed (or taken from `recent`). Fails only if the log was
        /// edited behind the pipeline's back.
        func event(executionID: String, recent: RecentPayloads? = nil) throws -> ExecutionEvent {
            try ExecutionEvent(
                eventID: eventID, executionID: executionID, type: type, timestamp: timestamp, source: source,
                schemaVersion: schemaVersion, canonicalPayload: canonicalPayload, canonicalExtensions: canonicalExtensions,
                recent: recent)
        }
    }

    /// Where and why a stored array does not have the log's format.
    struct FormatError: Error, CustomStringConvertible {
        var offset: Int
        var expected: String

        var description: String { "expected \(expected) at byte \(offset)" }
    }

    /// Appends one element. It is written into a buffer of its largest possible size by pointer
    /// and appended in one copy: appended field by field, each integer and string went through
    /// Array's capacity and uniqueness checks, ~2,400 instructions an event (callgrind).
    private static func write(seq: Int64, eventID: String, eventIDNeedsEscaping: Bool? = nil, type: EventType, timestamp: Int64,
                              source: EventSource, schemaVersion: Int, payload: String, extensions: String?, into bytes: inout [UInt8]) {
        let extensionsLength = extensions?.utf8.count ?? 0
        eventID.withBorrowedUTF8 { id in
            payload.withBorrowedUTF8 { payload in
                (extensions ?? "null").withBorrowedUTF8 { extensions in
                    // An id that needs escaping (rare) is quoted from its bytes.
                    let quotedID: [UInt8]? = eventIDNeedsEscaping ?? JSONWriter.needsEscaping(id)
                        ? JSONWriter.bytes(.string(String(decoding: id, as: UTF8.self))) : nil
                    let type = quoted(type)
                    let source = quoted(source)
                    // Brackets, nine commas, two quotes, five integers.
                    let capacity = 13 + 5 * JSONWriter.maximumIntegerLength + (quotedID?.count ?? id.count) + type.utf8CodeUnitCount
                        + source.utf8CodeUnitCount
                        + payload.count + extensions.count
                    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
                        var element = ElementWriter(buffer.baseAddress!)
                        element.put(UInt8(ascii: "["))
                        element.integer(seq)
                        element.put(UInt8(ascii: ","))
                        if let quotedID {
                            quotedID.withUnsafeBufferPointer { element.copy($0) }
                        } else {
                            element.put(UInt8(ascii: "\""))
                            element.copy(id)
                            element.put(UInt8(ascii: "\""))
                        }
                        element.put(UInt8(ascii: ","))
                        element.copy(type)
                        element.put(UInt8(ascii: ","))
                        element.integer(timestamp)
                        element.put(UInt8(ascii: ","))
                        element.copy(source)
                        element.put(UInt8(ascii: ","))
                        element.integer(Int64(schemaVersion))
                        element.put(UInt8(ascii: ","))
                        element.integer(Int64(payload.count))
                        element.put(UInt8(ascii: ","))
                        element.integer(Int64(extensionsLength))
                        element.put(UInt8(ascii: ","))
                        element.copy(payload)
                        element.put(UInt8(ascii: ","))
                        element.copy(extensions)
                        element.put(UInt8(ascii: "]"))
                        bytes.append(contentsOf: UnsafeBufferPointer(start: buffer.baseAddress, count: element.count))
                    }
                }
            }
        }
    }

    /// Each event type and source as a JSON string: writing the name through
    /// `JSONWriter.writeString` (escape check and three appends) took ~270 instructions an event
    /// each, and a table of arrays made once a retain, a release and a lazy global's check
    /// (callgrind). `EventGroupTests` reads every type and source back.
    private static func quoted(_ type: EventType) -> StaticString {
        switch type {
        case .submit: return #""SUBMIT""#
        case .running: return #""RUNNING""#
        case .state: return #""STATE""#
        case .metricsSummary: return #""METRICS_SUMMARY""#
        case .cancel: return #""CANCEL""#
        case .terminal: return #""TERMINAL""#
        }
    }

    private static func quoted(_ source: EventSource) -> StaticString {
        switch source {
        case .runner: return #""runner""#
        case .operator: return #""operator""#
        case .importer: return #""importer""#
        }
    }

    /// The events of one stored array, in the order stored.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws(FormatError) -> [Logged] {
        var reader = Reader(bytes: bytes)
        var events: [Logged] = []
        try reader.expect("[")
        repeat {
            events.append(try reader.event())
        } while try reader.separatorOrEnd()
        guard reader.offset == bytes.count else { throw FormatError(offset: reader.offset, expected: "the end of the array") }
        return events
    }

    /// The event with `seq` of one stored array, decoded alone: the others are stepped over by
    /// their lengths, without building their strings (a duplicate's check wants one event of a
    /// group of up to ~20). nil when the array has no such event.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, seq wanted: Int64) throws(FormatError) -> Logged? {
        var reader = Reader(bytes: bytes)
        try reader.expect("[")
        repeat {
            let start = reader.offset
            try reader.expect("[")
            let seq = try reader.integer()
            reader.offset = start
            if seq == wanted { return try reader.event() }
            try reader.skipEvent()
        } while try reader.separatorOrEnd()
        guard reader.offset == bytes.count else { throw FormatError(offset: reader.offset, expected: "the end of the array") }
        return nil
    }

    /// A cursor over one stored array.
    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var offset = 0

        mutating func event() throws(FormatError) -> Logged {
            try expect("[")
            let seq = try integer()
            try expect(",")
            let eventID = try string()
            try expect(",")
            let typeStart = offset
            guard let type = EventType(rawValue: try string()) else { throw FormatError(offset: typeStart, expected: "an event type") }
            try expect(",")
            let timestamp = try integer()
            try expect(",")
            let sourceStart = offset
            guard let source = EventSource(rawValue: try string()) else { throw FormatError(offset: sourceStart, expected: "a source") }
            try expect(",")
            let schemaVersion = try integer()
            try expect(",")
            let payloadLength = try integer()
            try expect(",")
            let extensionsLength = try integer()
            try expect(",")
            let payload = try text(length: payloadLength)
            try expect(",")
            let extensions: String?
            if extensionsLength == 0 {
                try expect("null")
                extensions = nil
            } else {
                extensions = try text(length: extensionsLength)
            }
            try expect("]")
            return Logged(seq: seq, eventID: eventID, type: type, timestamp: timestamp, source: source,
                          schemaVersion: Int(schemaVersion), canonicalPayload: payload, canonicalExtensions: extensions)
        }

        /// Moves past one event, checking its shape as `event()` does but building nothing.
        mutating func skipEvent() throws(FormatError) {
            try expect("[")
            _ = try integer()
            try expect(",")
            try skipString()
            try expect(",")
            try skipString()
            try expect(",")
            _ = try integer()
            try expect(",")
            try skipString()
            try expect(",")
            _ = try integer()
            try expect(",")
            let payloadLength = try integer()
            try expect(",")
            let extensionsLength = try integer()
            try expect(",")
            try skip(length: payloadLength)
            try expect(",")
            if extensionsLength == 0 {
                try expect("null")
            } else {
                try skip(length: extensionsLength)
            }
            try expect("]")
        }

        /// true after a `,`, false after the closing `]`.
        mutating func separatorOrEnd() throws(FormatError) -> Bool {
            guard offset < bytes.count else { throw FormatError(offset: offset, expected: "`,` or `]`") }
            let byte = bytes[offset]
            offset += 1
            if byte == UInt8(ascii: ",") { return true }
            if byte == UInt8(ascii: "]") { return false }
            throw FormatError(offset: offset - 1, expected: "`,` or `]`")
        }

        mutating func expect(_ literal: StaticString) throws(FormatError) {
            let expected = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
            guard offset + expected.count <= bytes.count else { throw FormatError(offset: offset, expected: "`\(literal)`") }
            for index in expected.indices where bytes[offset + index] != expected[index] {
                throw FormatError(offset: offset, expected: "`\(literal)`")
            }
            offset += expected.count
        }

        mutating func integer() throws(FormatError) -> Int64 {
            let start = offset
            let negative = offset < bytes.count && bytes[offset] == UInt8(ascii: "-")
            if negative { offset += 1 }
            var value: Int64 = 0
            let digits = offset
            while offset < bytes.count, bytes[offset] &- UInt8(ascii: "0") < 10 {
                let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(Int64(bytes[offset] &- UInt8(ascii: "0")))
                guard !overflow1, !overflow2 else { throw FormatError(offset: start, expected: "a 64-bit integer") }
                value = sum
                offset += 1
            }
            guard offset > digits else { throw FormatError(offset: start, expected: "an integer") }
            return negative ? -value : value
        }

        /// A JSON string; one with escapes is unescaped by the JSON parser.
        mutating func string() throws(FormatError) -> String {
            let start = offset
            if try !skipString() {
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[(start + 1)..<(offset - 1)]), as: UTF8.self)
            }
            guard case .string(let value)? = try? JSONParser.parse(buffer: UnsafeBufferPointer(rebasing: bytes[start..<offset])) else {
                throw FormatError(offset: start, expected: "a JSON string")
            }
            return value
        }

        /// Moves past a JSON string; whether it holds escapes.
        @discardableResult
        mutating func skipString() throws(FormatError) -> Bool {
            let start = offset
            try expect("\"")
            var escaped = false
            while offset < bytes.count {
                switch bytes[offset] {
                case UInt8(ascii: "\""):
                    offset += 1
                    return escaped
                case UInt8(ascii: "\\"):
                    escaped = true
                    offset += 2  // the escaped byte cannot end the string
                default:
                    offset += 1
                }
            }
            throw FormatError(offset: start, expected: "a closed string")
        }

        mutating func skip(length: Int64) throws(FormatError) {
            guard length > 0, length <= bytes.count - offset else {
                throw FormatError(offset: offset, expected: "\(length) bytes of JSON")
            }
            offset += Int(length)
        }

        /// `length` bytes as text, which must end where the next member starts.
        mutating func text(length: Int64) throws(FormatError) -> String {
            let start = offset
            try skip(length: length)
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
        }
    }
}
