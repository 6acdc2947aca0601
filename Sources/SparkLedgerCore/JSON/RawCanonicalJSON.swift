/// The canonical text of a JSON object (`JSONWriter`, `.canonical`) made from its raw bytes, for
/// the common case where those bytes are already canonical but for the order of members: no
/// whitespace, no escaped string, numbers as `JSONWriter` writes them. Then the canonical text is
/// the same bytes with each object's members sorted by key, written in one pass without building
/// and walking a `JSONValue` tree. Anything else gives nil, and the caller writes the parsed value
/// with `JSONWriter`: a string with an escape (`"\/"` and `"\u00e9"` are written `"/"` and
/// `"é"`), `1.0` (written `1`), `1.50`, `1e3`, `-0`, an integer of more than 18 digits (past
/// Int64 it is a Double), a fraction that is not Double's shortest text, an object of more than
/// `maximumMembers` members.
public enum RawCanonicalJSON {
    /// - Parameter bytes: one JSON object or array the strict parser accepted (so it is well
    ///   formed: strings hold no control character, objects no duplicate key, nesting is bounded).
    public static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard let base = bytes.baseAddress, bytes.first == UInt8(ascii: "{") || bytes.first == UInt8(ascii: "[") else { return nil }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count) { output -> String? in
            var emitter = Emitter(input: base, count: bytes.count, output: output.baseAddress!)
            let end = emitter.value(at: 0)
            guard !emitter.failed, end == bytes.count, emitter.written == bytes.count else { return nil }
            return String(decoding: UnsafeBufferPointer(start: output.baseAddress, count: emitter.written), as: UTF8.self)
        }
    }

    /// Objects with more members than this are left to `JSONWriter` (a small buffer of members
    /// stays on the stack).
    static let maximumMembers = 32

    /// Where the number at `index` ends, if `JSONWriter` writes it as it stands: an integer of at
    /// most 18 digits other than `-0` (`JSONWriter` writes an Int64 in decimal), or a decimal
    /// fraction that is Double's shortest round-trip text (which `JSONWriter` writes for a
    /// fractional Double): no exponent, no trailing zero, at most 15 significant digits (so no
    /// shorter text reads back as the same Double), at most 9 integer digits and not under 0.01
    /// (Swift writes an exponent from 0.0001 down; the margin is deliberate). Else nil.
    static func canonicalNumberEnd(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        let count = bytes.count
        var index = start
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        let integerStart = index
        while index < count, isDigit(bytes[index]) { index += 1 }
        let integerDigits = index - integerStart
        guard integerDigits > 0 else { return nil }  // not a number at all
        let integerIsZero = integerDigits == 1 && bytes[integerStart] == UInt8(ascii: "0")
        guard index < count, bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") else {
            // An integer.
            return integerDigits > 18 || (negative && integerIsZero) ? nil : index
        }
        guard bytes[index] == UInt8(ascii: "."), integerDigits <= 9 else { return nil }
        index += 1
        let fractionStart = index
        while index < count, isDigit(bytes[index]) { index += 1 }
        let fractionDigits = index - fractionStart
        guard fractionDigits >= 1, bytes[index - 1] != UInt8(ascii: "0") else { return nil }
        if index < count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") { return nil }
        var significant = integerDigits + fractionDigits
        if integerIsZero {
            var leadingZeros = 0
            while leadingZeros < fractionDigits, bytes[fractionStart + leadingZeros] == UInt8(ascii: "0") { leadingZeros += 1 }
            guard leadingZeros < 2 else { return nil }  // under 0.01: left to JSONWriter
            significant = fractionDigits - leadingZeros
        }
        return significant <= 15 ? index : nil
    }

    @inline(__always) private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// Writes a value in canonical order in one pass, checking as it goes that each token is
    /// written by `JSONWriter` as it stands; `failed` when one is not.
    private struct Emitter {
        let input: UnsafePointer<UInt8>
        let count: Int
        let output: UnsafeMutablePointer<UInt8>
        var written = 0
        var failed = false

        /// A member: from its key's opening quote, and its value; `prefix` is the key's first
        /// eight bytes, big-endian and zero-padded, so that most comparisons are one.
        struct Member {
            var keyStart: Int
            var valueStart: Int
            var valueEnd: Int
            var prefix: UInt64
        }

        mutating func put(_ byte: UInt8) {
            output[written] = byte
            written += 1
        }

        mutating func copy(_ start: Int, _ end: Int) {
            let length = end - start
            let source = UnsafeRawPointer(input + start)
            let target = UnsafeMutableRawPointer(output + written)
            if length >= 8 && length <= 16 {
                // Two overlapping words: most tokens are this short, and a call to memcpy costs
                // more than the copy.
                target.storeBytes(of: source.loadUnaligned(as: UInt64.self), as: UInt64.self)
                target.storeBytes(of: source.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self), toByteOffset: length - 8, as: UInt64.self)
            } else {
                target.copyMemory(from: source, byteCount: length)
            }
            written += length
        }

        /// Emits the value at `index`; returns the index after it.
        mutating func value(at index: Int) -> Int {
            guard index < count else {
                failed = true
                return index
            }
            switch input[index] {
            case UInt8(ascii: "{"):
                return object(at: index)
            case UInt8(ascii: "["):
                return array(at: index)
            default:
                guard let end = scalarEnd(at: index) else {
                    failed = true
                    return index
                }
                copy(index, end)
                return end
            }
        }

        private mutating func array(at index: Int) -> Int {
            put(UInt8(ascii: "["))
            var next = index + 1
            if next < count, input[next] == UInt8(ascii: "]") {
                put(UInt8(ascii: "]"))
                return next + 1
            }
            while true {
                next = value(at: next)
                guard !failed, next < count else {
                    failed = true
                    return next
                }
                switch input[next] {
                case UInt8(ascii: ","): put(UInt8(ascii: ",")); next += 1
                case UInt8(ascii: "]"): put(UInt8(ascii: "]")); return next + 1
                default: failed = true; return next
                }
            }
        }

        private mutating func object(at index: Int) -> Int {
            if index + 1 < count, input[index + 1] == UInt8(ascii: "}") {
                copy(index, index + 2)
                return index + 2
            }
            return withUnsafeTemporaryAllocation(of: Member.self, capacity: RawCanonicalJSON.maximumMembers) { buffer -> Int in
                let members = buffer.baseAddress!
                var memberCount = 0
                var next = index + 1
                let end: Int
                while true {
                    guard memberCount < RawCanonicalJSON.maximumMembers, next < count, input[next] == UInt8(ascii: "\""),
                          let keyEnd = stringEnd(at: next), keyEnd < count, input[keyEnd] == UInt8(ascii: ":") else {
                        failed = true
                        return next
                    }
                    let valueStart = keyEnd + 1
                    guard valueStart < count, let valueEnd = input[valueStart] == UInt8(ascii: "{") || input[valueStart] == UInt8(ascii: "[")
                            ? containerEnd(at: valueStart) : scalarEnd(at: valueStart), valueEnd < count else {
                        failed = true
                        return next
                    }
                    members[memberCount] = Member(keyStart: next, valueStart: valueStart, valueEnd: valueEnd,
                                                  prefix: UTF8Order.prefix(UnsafeRawPointer(input + next + 1), count: keyEnd - 2 - next))
                    memberCount += 1
                    if input[valueEnd] == UInt8(ascii: "}") {
                        end = valueEnd + 1
                        break
                    }
                    guard input[valueEnd] == UInt8(ascii: ",") else {
                        failed = true
                        return valueEnd
                    }
                    next = valueEnd + 1
                }
                // Insertion sort by key bytes: objects are small, and usually come in order.
                var sorted = 1
                while sorted < memberCount {
                    let member = members[sorted]
                    var slot = sorted
                    while slot > 0, precedes(member, members[slot - 1]) {
                        members[slot] = members[slot - 1]
                        slot -= 1
                    }
                    members[slot] = member
                    sorted += 1
                }
                put(UInt8(ascii: "{"))
                for position in 0..<memberCount {
                    if position > 0 { put(UInt8(ascii: ",")) }
                    let member = members[position]
                    let first = input[member.valueStart]
                    if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
                        copy(member.keyStart, member.valueStart)  // the key and its colon
                        guard value(at: member.valueStart) == member.valueEnd, !failed else {
                            failed = true
                            return end
                        }
                    } else {
                        copy(member.keyStart, member.valueEnd)  // key, colon and value in one copy
                    }
                }
                put(UInt8(ascii: "}"))
                return end
            }
        }

        /// Whether `a`'s key precedes `b`'s in UTF-8 byte order (keys hold no escapes, so their
        /// bytes between the quotes are their UTF-8).
        private func precedes(_ a: Member, _ b: Member) -> Bool {
            if a.prefix != b.prefix { return a.prefix < b.prefix }
            return UTF8Order.compare(key(of: a), key(of: b)) < 0
        }

        /// A member's key between its quotes.
        private func key(of member: Member) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(start: input + member.keyStart + 1, count: member.valueStart - 2 - (member.keyStart + 1))
        }

        /// The index after the string at `index`, or nil when it holds an escape.
        private func stringEnd(at index: Int) -> Int? {
            var next = StringWordScan.skip(UnsafeRawPointer(input), from: index + 1, end: count, flagging: StringWordScan.quoteOrBackslashBits)
            while next < count {
                switch input[next] {
                case UInt8(ascii: "\""): return next + 1
                case UInt8(ascii: "\\"): return nil
                default: next += 1
                }
            }
            return nil
        }

        /// The index after the string, number or literal at `index`, or nil when `JSONWriter`
        /// would write it differently.
        private func scalarEnd(at index: Int) -> Int? {
            switch input[index] {
            case UInt8(ascii: "\""):
                return stringEnd(at: index)
            case UInt8(ascii: "t"), UInt8(ascii: "n"):
                return index + 4
            case UInt8(ascii: "f"):
                return index + 5
            default:
                return RawCanonicalJSON.canonicalNumberEnd(UnsafeBufferPointer(start: input, count: count), at: index)
            }
        }

        /// The index after the object or array at `index` (its strings skipped whole), or nil
        /// when a string in it holds an escape. Its contents are checked when it is emitted.
        private func containerEnd(at index: Int) -> Int? {
            var nesting = 0
            var next = index
            while next < count {
                switch input[next] {
                case UInt8(ascii: "\""):
                    guard let end = stringEnd(at: next) else { return nil }
                    next = end
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    nesting += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    nesting -= 1
                    if nesting == 0 { return next + 1 }
                default:
                    break
                }
                next += 1
            }
            return nil
        }
    }
}
