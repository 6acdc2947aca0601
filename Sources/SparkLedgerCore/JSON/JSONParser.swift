/// Why a text is not one JSON document. `offset` is the byte where parsing stopped.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var offset: Int

    public var description: String { "\(message) at byte \(offset)" }
}

/// A strict RFC 8259 parser over UTF-8 bytes.
///
/// Strict because the quarantine must be predictable: invalid UTF-8, duplicate keys, trailing
/// commas, comments, leading zeros, NaN and trailing garbage are all errors. Nesting is limited
/// so that hostile input cannot exhaust the stack.
///
/// It reads a document into a `JSONTape`; `parse` turns that into a `JSONValue` tree for the
/// readers that want one.
public struct JSONParser {
    public static let maximumDepth = 64
    /// Objects up to this many members look for a duplicate key by a 256-bit signature first.
    static let signedKeys = 64

    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        try tape(bytes).value(at: JSONTape.root)
    }

    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try tape(text).value(at: JSONTape.root)
    }

    public static func parse(buffer: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> JSONValue {
        try tape(buffer).value(at: JSONTape.root)
    }

    /// Member names to leave out of every object, prepared once for the many lines a reader
    /// parses with them.
    public struct OmittedMembers: Sendable, ExpressibleByArrayLiteral {
        /// Each name with its quotes, as it appears in JSON written without escapes.
        let quotedKeys: [[UInt8]]

        public init(_ names: [String]) {
            quotedKeys = names.map { Array("\"\($0)\"".utf8) }
        }

        public init(arrayLiteral names: String...) {
            self.init(names)
        }
    }

    /// Parses, leaving out of every object the members named in `omitted` (written without
    /// escapes). Their values are skipped by a structural scan, not parsed: a reader with no use
    /// for a large member does not pay for it, and does not see its errors.
    public static func parse(buffer: UnsafeBufferPointer<UInt8>, omitting omitted: OmittedMembers) throws(JSONParseError) -> JSONValue {
        try tape(buffer, omitting: omitted).value(at: JSONTape.root)
    }

    /// Reads one document into a tape (see `parse(buffer:omitting:)` for `omitted`).
    /// - Parameter previous: a tape done with; its node array is reused when nothing else holds
    ///   it (a reader of many documents saves an allocation each).
    public static func tape(_ buffer: UnsafeBufferPointer<UInt8>, omitting omitted: OmittedMembers = [],
                            reusing previous: consuming JSONTape? = nil) throws(JSONParseError) -> JSONTape {
        try tape(buffer, document: nil, omitting: omitted, nodes: previous.take()?.reusableNodes() ?? [])
    }

    /// Reads one document into a tape that shares `bytes` rather than copying them.
    public static func tape(_ bytes: [UInt8], reusing previous: consuming JSONTape? = nil) throws(JSONParseError) -> JSONTape {
        var nodes = previous.take()?.reusableNodes() ?? []
        // `bytes` keeps the buffer alive while the parser reads it; the tape's first append of a
        // decoded string copies its storage away from it. The nodes are moved into the parser:
        // a reference left here made its array shared, and the parser allocated a new one for
        // every document (callgrind: one growth and copy a line).
        let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(JSONParseError) -> JSONTape in
                var reused: [JSONTape.Node] = []
                swap(&reused, &nodes)
                return try tape(buffer, document: bytes, omitting: [], nodes: consume reused)
            }
        }
        return try result.get()
    }

    private static func tape(_ buffer: UnsafeBufferPointer<UInt8>, document: [UInt8]?, omitting omitted: OmittedMembers,
                             nodes: consuming [JSONTape.Node]) throws(JSONParseError) -> JSONTape {
        // Offsets are 32-bit, and decoded strings are stored after the document: half of it.
        guard buffer.count <= Int(Int32.max) / 2 else {
            throw JSONParseError(message: "a document of \(buffer.count) bytes is over the parser's 1 GiB limit", offset: 0)
        }
        var parser = JSONParser(buffer, document: document, nodes: consume nodes)
        parser.omittedKeys = omitted.quotedKeys
        try parser.parseDocument()
        return JSONTape(storage: parser.storage, nodes: parser.nodes, documentCount: buffer.count)
    }

    public static func tape(_ text: String) throws(JSONParseError) -> JSONTape {
        var text = text
        let result = text.withUTF8 { buffer in
            Result { () throws(JSONParseError) -> JSONTape in try tape(buffer) }
        }
        return try result.get()
    }

    private mutating func parseDocument() throws(JSONParseError) {
        skipWhitespace()
        try parseValue(depth: 0)
        skipWhitespace()
        guard position == end else {
            throw error("unexpected \(describeCurrent()) after the JSON value")
        }
    }

    private let base: UnsafePointer<UInt8>?
    private let end: Int
    private var position = 0
    /// Quoted keys whose members are left out.
    private var omittedKeys: [[UInt8]] = []
    /// The tape being written: the document's bytes (then decoded strings), and the nodes.
    private var storage: [UInt8]
    private var nodes: [JSONTape.Node] = []

    /// - Parameter document: the bytes as an array when the caller has one: the tape shares it
    ///   instead of copying `buffer` (which then points into it).
    private init(_ buffer: UnsafeBufferPointer<UInt8>, document: [UInt8]? = nil, nodes: consuming [JSONTape.Node]) {
        base = buffer.baseAddress
        end = buffer.count
        storage = document ?? Array(buffer)
        self.nodes = consume nodes
        // An event's envelope has ~40 nodes in ~250 bytes; a large document's array grows.
        self.nodes.reserveCapacity(min(max(16, buffer.count / 6), 4096))
    }

    @inline(__always) private func byte(at index: Int) -> UInt8 {
        // Callers check index < end first; base is non-nil whenever end > 0.
        base.unsafelyUnwrapped[index]
    }

    private func error(_ message: String) -> JSONParseError {
        JSONParseError(message: message, offset: position)
    }

    private func describeCurrent() -> String {
        guard position < end else { return "end of input" }
        let value = byte(at: position)
        if value >= 0x21 && value < 0x7F { return "character '\(Character(Unicode.Scalar(value)))'" }
        return "byte 0x\(String(value, radix: 16, uppercase: true))"
    }

    private mutating func skipWhitespace() {
        while position < end {
            switch byte(at: position) {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    @inline(__always) private mutating func append(_ kind: JSONTape.Kind, _ start: Int, _ end: Int, bits: UInt64 = 0) {
        nodes.append(JSONTape.Node(kind: kind, start: Int32(truncatingIfNeeded: start), end: Int32(truncatingIfNeeded: end),
                                   next: Int32(truncatingIfNeeded: nodes.count + 1), bits: bits))
    }

    private mutating func parseValue(depth: Int) throws(JSONParseError) {
        guard position < end else { throw error("unexpected end of input") }
        let start = position
        switch byte(at: position) {
        case UInt8(ascii: "{"): try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""):
            let range = try parseString()
            append(.string, range.lowerBound, range.upperBound)
        case UInt8(ascii: "t"): try expectLiteral("true"); append(.true, start, position)
        case UInt8(ascii: "f"): try expectLiteral("false"); append(.false, start, position)
        case UInt8(ascii: "n"): try expectLiteral("null"); append(.null, start, position)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try parseNumber()
        default: throw error("unexpected \(describeCurrent())")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        guard end - position >= count else { throw error("unexpected end of input") }
        let expected = literal.utf8Start
        for index in 0..<count where byte(at: position + index) != expected[index] {
            throw error("unexpected \(describeCurrent())")
        }
        position += count
    }

    /// A container's node, written before its members; `finish` fills in its end, count and next.
    private mutating func openContainer(_ kind: JSONTape.Kind) -> Int {
        let index = nodes.count
        append(kind, position, position)
        position += 1  // { or [
        return index
    }

    private mutating func finish(container index: Int, count: Int) {
        position += 1  // } or ]
        nodes[index].end = Int32(truncatingIfNeeded: position)
        nodes[index].next = Int32(truncatingIfNeeded: nodes.count)
        nodes[index].bits = UInt64(count)
    }

    /// A decoded string of the tape being written, for an error message.
    private func stringValue(_ range: Range<Int>) -> String {
        String(decoding: storage[range], as: UTF8.self)
    }

    private func hash(_ range: Range<Int>) -> UInt64 {
        storage.withUnsafeBytes { RowHash.hash(UnsafeRawBufferPointer(rebasing: $0[range])) }
    }

    /// A key's length mixed with its first and last bytes.
    @inline(__always) private func keySignature(_ key: Range<Int>) -> Int {
        guard !key.isEmpty else { return 0 }
        return storage.withUnsafeBufferPointer { buffer in
            let first = Int(buffer[key.lowerBound]), last = Int(buffer[key.upperBound - 1])
            return (key.count &* 0x9E37 ^ first &* 0x2F ^ last &* 0x1F1) >> 3 ^ last
        }
    }

    /// The node of the key among the first `count` members of `object` whose decoded bytes are
    /// `key`'s, or nil.
    private func earlierKey(equalTo key: Range<Int>, in object: Int, count: Int) -> Int? {
        storage.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress.unsafelyUnwrapped
            var other = object + 1
            for _ in 0..<count {
                let node = nodes[other]
                if Int(node.end - node.start) == key.count && memoryEqual(base + Int(node.start), base + key.lowerBound, key.count) {
                    return other
                }
                other = Int(nodes[other + 1].next)
            }
            return nil
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) {
        guard depth <= Self.maximumDepth else { throw error("nesting deeper than \(Self.maximumDepth)") }
        let object = openContainer(.object)
        var count = 0
        skipWhitespace()
        if position < end && byte(at: position) == UInt8(ascii: "}") {
            finish(container: object, count: 0)
            return
        }
        // Duplicate keys are found by comparing the decoded keys (so `"a"` and `"\u0061"` meet).
        // Each key sets one of 256 bits chosen by its length and two of its bytes; only a key
        // whose bit is already set is compared with the keys before it: with the 7–26 keys of an
        // event's objects, most keys are compared with none.
        var signatures = InlineArray<4, UInt64>(repeating: 0)
        var keyHashes: Set<UInt64> = []
        while true {
            skipWhitespace()
            guard position < end, byte(at: position) == UInt8(ascii: "\"") else {
                throw error("expected a string key, found \(describeCurrent())")
            }
            let keyOffset = position
            let omit = !omittedKeys.isEmpty && isOmittedKey()
            let key = try parseString()
            if omit {
                // Left out: no duplicate check, no value.
            } else if count < Self.signedKeys {
                let signature = keySignature(key)
                let bit: UInt64 = 1 << UInt64(signature & 63)
                if signatures[signature >> 6 & 3] & bit != 0, earlierKey(equalTo: key, in: object, count: count) != nil {
                    throw JSONParseError(message: "duplicate key \"\(stringValue(key))\"", offset: keyOffset)
                }
                signatures[signature >> 6 & 3] |= bit
            } else {
                // Past that many keys the bits are mostly set: a set of 64-bit hashes says instead.
                if keyHashes.isEmpty {
                    var other = object + 1
                    for _ in 0..<count {
                        keyHashes.insert(hash(Int(nodes[other].start)..<Int(nodes[other].end)))
                        other = Int(nodes[other + 1].next)
                    }
                }
                if !keyHashes.insert(hash(key)).inserted, earlierKey(equalTo: key, in: object, count: count) != nil {
                    throw JSONParseError(message: "duplicate key \"\(stringValue(key))\"", offset: keyOffset)
                }
            }
            skipWhitespace()
            guard position < end, byte(at: position) == UInt8(ascii: ":") else {
                throw error("expected ':' after key \"\(stringValue(key))\", found \(describeCurrent())")
            }
            position += 1
            skipWhitespace()
            if omit {
                try skipValue()
            } else {
                append(.string, key.lowerBound, key.upperBound)
                try parseValue(depth: depth)
                count += 1
            }
            skipWhitespace()
            guard position < end else { throw error("unexpected end of input in an object") }
            switch byte(at: position) {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"): finish(container: object, count: count); return
            default: throw error("expected ',' or '}' in an object, found \(describeCurrent())")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) {
        guard depth <= Self.maximumDepth else { throw error("nesting deeper than \(Self.maximumDepth)") }
        let array = openContainer(.array)
        var count = 0
        skipWhitespace()
        if position < end && byte(at: position) == UInt8(ascii: "]") {
            finish(container: array, count: 0)
            return
        }
        while true {
            skipWhitespace()
            try parseValue(depth: depth)
            count += 1
            skipWhitespace()
            guard position < end else { throw error("unexpected end of input in an array") }
            switch byte(at: position) {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"): finish(container: array, count: count); return
            default: throw error("expected ',' or ']' in an array, found \(describeCurrent())")
            }
        }
    }

    // MARK: strings

    /// Reads a string and gives the range of its decoded bytes in `storage`: its own bytes in
    /// the document when it holds no escape, else a decoded copy appended.
    private mutating func parseString() throws(JSONParseError) -> Range<Int> {
        position += 1  // opening quote
        let start = position
        // Fast path: plain ASCII without escapes needs no copy and no validation. Eight bytes at a
        // time while none of them is a quote, a backslash, a control character or non-ASCII.
        position = StringWordScan.skip(UnsafeRawPointer(base.unsafelyUnwrapped), from: position, end: end, flagging: StringWordScan.attentionBits)
        while position < end {
            let value = byte(at: position)
            if value == UInt8(ascii: "\"") {
                position += 1
                return start..<(position - 1)
            }
            if value == UInt8(ascii: "\\") || value < 0x20 || value >= 0x80 { break }
            position += 1
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(position - start + 16)
        bytes.append(contentsOf: UnsafeBufferPointer(start: base.unsafelyUnwrapped + start, count: position - start))
        var escaped = false
        while position < end {
            let value = byte(at: position)
            switch value {
            case UInt8(ascii: "\""):
                position += 1
                // Without an escape the bytes are their own decoding (valid UTF-8, checked).
                guard escaped else { return start..<(position - 1) }
                let decodedStart = storage.count
                storage.append(contentsOf: bytes)
                return decodedStart..<storage.count
            case UInt8(ascii: "\\"):
                escaped = true
                try parseEscape(into: &bytes)
            case 0..<0x20:
                throw error("unescaped control character 0x\(String(value, radix: 16)) in a string")
            case 0x80...:
                try copyMultiByteScalar(into: &bytes)
            default:
                bytes.append(value)
                position += 1
            }
        }
        throw error("unterminated string")
    }

    private mutating func parseEscape(into bytes: inout [UInt8]) throws(JSONParseError) {
        position += 1  // backslash
        guard position < end else { throw error("unterminated escape") }
        let escape = byte(at: position)
        position += 1
        switch escape {
        case UInt8(ascii: "\""): bytes.append(0x22)
        case UInt8(ascii: "\\"): bytes.append(0x5C)
        case UInt8(ascii: "/"): bytes.append(0x2F)
        case UInt8(ascii: "b"): bytes.append(0x08)
        case UInt8(ascii: "f"): bytes.append(0x0C)
        case UInt8(ascii: "n"): bytes.append(0x0A)
        case UInt8(ascii: "r"): bytes.append(0x0D)
        case UInt8(ascii: "t"): bytes.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try parseHex4()
            if (0xD800...0xDBFF).contains(scalar) {
                guard end - position >= 6, byte(at: position) == UInt8(ascii: "\\"), byte(at: position + 1) == UInt8(ascii: "u") else {
                    throw error("unpaired high surrogate \\u\(String(scalar, radix: 16))")
                }
                position += 2
                let low = try parseHex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw error("invalid low surrogate \\u\(String(low, radix: 16))") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw error("unpaired low surrogate \\u\(String(scalar, radix: 16))")
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw error("invalid code point") }
            bytes.append(contentsOf: String(Character(unicode)).utf8)
        default:
            position -= 1
            throw error("invalid escape \\\(describeCurrent())")
        }
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard end - position >= 4 else { throw error("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let digit = byte(at: position)
            let nibble: UInt8
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = digit - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = digit - UInt8(ascii: "A") + 10
            default: throw error("invalid hex digit in \\u escape")
            }
            value = value << 4 | UInt32(nibble)
            position += 1
        }
        return value
    }

    /// Validates one UTF-8 encoded scalar (no overlongs, no surrogates, ≤ U+10FFFF) and copies it.
    private mutating func copyMultiByteScalar(into bytes: inout [UInt8]) throws(JSONParseError) {
        let lead = byte(at: position)
        let length: Int
        var lowerBound: UInt8 = 0x80
        var upperBound: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lowerBound = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upperBound = 0x9F
        case 0xF0: length = 4; lowerBound = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upperBound = 0x8F
        default: throw error("invalid UTF-8 byte 0x\(String(lead, radix: 16, uppercase: true))")
        }
        guard end - position >= length else { throw error("truncated UTF-8 sequence") }
        let second = byte(at: position + 1)
        guard second >= lowerBound && second <= upperBound else { throw error("invalid UTF-8 sequence") }
        for index in 2..<max(2, length) {
            let continuation = byte(at: position + index)
            guard continuation & 0xC0 == 0x80 else { throw error("invalid UTF-8 sequence") }
        }
        for index in 0..<length { bytes.append(byte(at: position + index)) }
        position += length
    }

    // MARK: numbers

    private mutating func parseNumber() throws(JSONParseError) {
        let start = position
        var negative = false
        if byte(at: position) == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        guard position < end, isDigit(byte(at: position)) else { throw error("expected a digit") }
        var magnitude: UInt64 = 0
        var overflow = false
        if byte(at: position) == UInt8(ascii: "0") {
            position += 1
            if position < end && isDigit(byte(at: position)) { throw error("leading zero in a number") }
        } else {
            while position < end, isDigit(byte(at: position)) {
                let digit = UInt64(byte(at: position) - UInt8(ascii: "0"))
                let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(digit)
                if o1 || o2 { overflow = true }
                magnitude = sum
                position += 1
            }
        }
        var isIntegerLiteral = true
        if position < end && byte(at: position) == UInt8(ascii: ".") {
            isIntegerLiteral = false
            position += 1
            guard position < end, isDigit(byte(at: position)) else { throw error("expected a digit after '.'") }
            while position < end, isDigit(byte(at: position)) { position += 1 }
        }
        if position < end && (byte(at: position) == UInt8(ascii: "e") || byte(at: position) == UInt8(ascii: "E")) {
            isIntegerLiteral = false
            position += 1
            if position < end && (byte(at: position) == UInt8(ascii: "+") || byte(at: position) == UInt8(ascii: "-")) { position += 1 }
            guard position < end, isDigit(byte(at: position)) else { throw error("expected a digit in the exponent") }
            while position < end, isDigit(byte(at: position)) { position += 1 }
        }
        if isIntegerLiteral && !overflow {
            if negative {
                if magnitude <= UInt64(Int64.max) { return append(.int, start, position, bits: UInt64(bitPattern: -Int64(magnitude))) }
                if magnitude == UInt64(Int64.max) + 1 { return append(.int, start, position, bits: UInt64(bitPattern: Int64.min)) }
            } else if magnitude <= UInt64(Int64.max) {
                return append(.int, start, position, bits: magnitude)
            }
        }
        let text = String(decoding: UnsafeBufferPointer(start: base.unsafelyUnwrapped + start, count: position - start), as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw JSONParseError(message: "number \(text) is out of range", offset: start)
        }
        // One representation (`JSONValue.number`): integral values that fit are integers.
        if let exact = Int64(exactly: value) {
            append(.int, start, position, bits: UInt64(bitPattern: exact))
        } else {
            append(.double, start, position, bits: value.bitPattern)
        }
    }

    private func isOmittedKey() -> Bool {
        for key in omittedKeys where end - position >= key.count {
            var index = 0
            while index < key.count && byte(at: position + index) == key[index] { index += 1 }
            if index == key.count { return true }
        }
        return false
    }

    /// Moves past one value without building it: brackets are matched and strings skipped with
    /// their escapes; nothing inside is validated.
    private mutating func skipValue() throws(JSONParseError) {
        guard position < end else { throw error("unexpected end of input") }
        switch byte(at: position) {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var nesting = 0
            while position < end {
                switch byte(at: position) {
                case UInt8(ascii: "\""):
                    try skipString()
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    nesting += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    nesting -= 1
                    if nesting == 0 {
                        position += 1
                        return
                    }
                default:
                    break
                }
                position += 1
            }
            throw error("unexpected end of input")
        case UInt8(ascii: "\""):
            try skipString()
        default:
            let count = nodes.count
            try parseValue(depth: 0)
            nodes.removeSubrange(count...)
        }
    }

    private mutating func skipString() throws(JSONParseError) {
        position += 1  // opening quote
        let raw = UnsafeRawPointer(base.unsafelyUnwrapped)
        while position < end {
            position = StringWordScan.skip(raw, from: position, end: end, flagging: StringWordScan.quoteOrBackslashBits)
            guard position < end else { break }
            switch byte(at: position) {
            case UInt8(ascii: "\""):
                position += 1
                return
            case UInt8(ascii: "\\"):
                position += 2
            default:
                position += 1
            }
        }
        throw error("unterminated string")
    }

    @inline(__always) private func isDigit(_ value: UInt8) -> Bool {
        value >= UInt8(ascii: "0") && value <= UInt8(ascii: "9")
    }
}
