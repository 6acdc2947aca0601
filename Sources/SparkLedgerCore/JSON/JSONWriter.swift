/// Writes JSON text without whitespace.
///
/// `.canonical` sorts object keys by their UTF-8 bytes, so two equal `JSONValue`s always give the
/// same bytes: the store compares duplicates and computes digests on this form. `.documentOrder`
/// keeps members as they are, for output meant for people (snapshot keys in the contract's order).
public struct JSONWriter {
    public enum KeyOrder: Sendable {
        case canonical
        case documentOrder
    }

    public static func bytes(_ value: JSONValue, keyOrder: KeyOrder = .canonical) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        write(value, keyOrder: keyOrder, into: &output)
        return output
    }

    public static func string(_ value: JSONValue, keyOrder: KeyOrder = .canonical) -> String {
        String(decoding: bytes(value, keyOrder: keyOrder), as: UTF8.self)
    }

    public static func write(_ value: JSONValue, keyOrder: KeyOrder = .canonical, into output: inout [UInt8]) {
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .int(let number): writeInteger(number, into: &output)
        case .double(let number): writeDouble(number, into: &output)
        case .string(let string): writeString(string, into: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                write(element, keyOrder: keyOrder, into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            writeObject(object, keyOrder: keyOrder, into: &output)
        }
    }

    public static func writeObject(_ object: JSONObject, keyOrder: KeyOrder, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "{"))
        let members = object.members
        func writeMember(_ member: JSONObject.Member, first: Bool) {
            if !first { output.append(UInt8(ascii: ",")) }
            writeString(member.key, into: &output)
            output.append(UInt8(ascii: ":"))
            write(member.value, keyOrder: keyOrder, into: &output)
        }
        if keyOrder == .canonical && !isSorted(members) {
            // Sorted as positions with each key's first 16 bytes packed into integers, compared
            // whole only when those tie: sorting the members themselves copied the array and
            // compared strings at every step: a quarter of canonical writing's instructions (callgrind).
            withUnsafeTemporaryAllocation(of: KeyPosition.self, capacity: members.count) { buffer in
                var positions = buffer
                for index in members.indices {
                    positions.initializeElement(at: index, to: KeyPosition(members[index].key, index: index))
                }
                positions.sort { a, b in
                    if a.high != b.high { return a.high < b.high }
                    if a.low != b.low { return a.low < b.low }
                    return UTF8Order.precedes(members[a.index].key, members[b.index].key)
                }
                for (order, position) in positions.enumerated() {
                    writeMember(members[position.index], first: order == 0)
                }
                _ = positions.deinitialize()
            }
        } else {
            for index in members.indices {
                writeMember(members[index], first: index == 0)
            }
        }
        output.append(UInt8(ascii: "}"))
    }

    /// A member's position and its key's first 16 UTF-8 bytes, big-endian, zero-padded: two keys
    /// whose packed bytes differ are in the order of those integers; equal ones are compared whole.
    private struct KeyPosition {
        var high: UInt64 = 0
        var low: UInt64 = 0
        var index: Int

        init(_ key: String, index: Int) {
            self.index = index
            key.withBorrowedUTF8 { bytes in
                guard let base = bytes.baseAddress else { return }
                high = UTF8Order.prefix(UnsafeRawPointer(base), count: bytes.count)
                if bytes.count > 8 { low = UTF8Order.prefix(UnsafeRawPointer(base) + 8, count: bytes.count - 8) }
            }
        }
    }

    private static func isSorted(_ members: [JSONObject.Member]) -> Bool {
        var index = 1
        while index < members.count {
            if !UTF8Order.precedes(members[index - 1].key, members[index].key) { return false }
            index += 1
        }
        return true
    }

    public static func writeInteger(_ number: Int64, into output: inout [UInt8]) {
        if number >= 0 && number < 10 {
            output.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: number))
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: 19 digits and a sign
        withUnsafeMutableBytes(of: &digits) { raw in
            // Typed, so that the append below is one copy: a slice of the raw buffer took
            // Array's generic path, ~170 instructions a number (callgrind).
            let buffer = raw.bindMemory(to: UInt8.self)
            let count = writeInteger(number, at: buffer.baseAddress!)
            output.append(contentsOf: UnsafeBufferPointer(start: buffer.baseAddress, count: count))
        }
    }

    /// The most bytes `writeInteger(_:at:)` writes: 19 digits and a sign.
    public static let maximumIntegerLength = 20

    /// Writes `number` in decimal at `output`, which has room for `maximumIntegerLength` bytes;
    /// returns how many it wrote. The log writes five integers an event with it: counting the
    /// digits four at a time and taking digit pairs from a literal (no lazily made table to
    /// check, no bounds to check) took it from ~120 to ~50 instructions a number (callgrind).
    public static func writeInteger(_ number: Int64, at output: UnsafeMutablePointer<UInt8>) -> Int {
        var magnitude = number.magnitude
        var start = 0
        if number < 0 {
            output[0] = UInt8(ascii: "-")
            start = 1
        }
        if magnitude < 10 {
            output[start] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude)
            return start + 1
        }
        let count = start + decimalDigits(magnitude)
        let pairs = digitPairs.utf8Start
        var end = count
        // Two digits a division, from "00"..."99", from the right.
        while magnitude >= 100 {
            let pair = Int(truncatingIfNeeded: magnitude % 100) &* 2
            magnitude /= 100
            end -= 2
            output[end] = pairs[pair]
            output[end + 1] = pairs[pair + 1]
        }
        if magnitude >= 10 {
            let pair = Int(truncatingIfNeeded: magnitude) &* 2
            output[end - 2] = pairs[pair]
            output[end - 1] = pairs[pair + 1]
        } else {
            output[end - 1] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude)
        }
        return count
    }

    /// The number of decimal digits of `value` (at most 20 for a UInt64; 19 for Int64's magnitude).
    @inline(__always)
    private static func decimalDigits(_ value: UInt64) -> Int {
        var rest = value
        var digits = 1
        while rest >= 10_000 {
            rest /= 10_000
            digits += 4
        }
        if rest >= 1_000 { return digits + 3 }
        if rest >= 100 { return digits + 2 }
        if rest >= 10 { return digits + 1 }
        return digits
    }

    /// "00" to "99", two bytes each.
    private static var digitPairs: StaticString {
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"
    }

    /// Doubles are written in Swift's shortest round-trip form, which is valid JSON for finite values.
    public static func writeDouble(_ number: Double, into output: inout [UInt8]) {
        if let exact = Int64(exactly: number) {
            writeInteger(exact, into: &output)
        } else if number.isFinite {
            output.append(contentsOf: number.description.utf8)
        } else {
            output.append(contentsOf: "null".utf8)
        }
    }

    public static func writeString(_ string: String, into output: inout [UInt8]) {
        // Fast path: most strings need no escaping and are appended in one copy.
        let copied: Bool? = string.utf8.withContiguousStorageIfAvailable { bytes in
            if needsEscaping(bytes) { return false }
            output.append(UInt8(ascii: "\""))
            output.append(contentsOf: bytes)
            output.append(UInt8(ascii: "\""))
            return true
        }
        if copied == true { return }
        output.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(UInt8(ascii: "\\")); output.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): output.append(UInt8(ascii: "\\")); output.append(UInt8(ascii: "\\"))
            case 0x0A: output.append(UInt8(ascii: "\\")); output.append(UInt8(ascii: "n"))
            case 0x0D: output.append(UInt8(ascii: "\\")); output.append(UInt8(ascii: "r"))
            case 0x09: output.append(UInt8(ascii: "\\")); output.append(UInt8(ascii: "t"))
            case 0x08: output.append(UInt8(ascii: "\\")); output.append(UInt8(ascii: "b"))
            case 0x0C: output.append(UInt8(ascii: "\\")); output.append(UInt8(ascii: "f"))
            case 0..<0x20:
                output.append(contentsOf: "\\u00".utf8)
                output.append(hexDigit(byte >> 4))
                output.append(hexDigit(byte & 0xF))
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    /// Whether any byte is a quote, a backslash or a control character: eight bytes at a time
    /// up to the first that may be one (`StringWordScan`), then byte by byte.
    public static func needsEscaping(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        var index = StringWordScan.skip(UnsafeRawPointer(base), from: 0, end: bytes.count, flagging: StringWordScan.escapingBits)
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x20 || byte == 0x22 || byte == 0x5C { return true }
            index += 1
        }
        return false
    }

    /// Indented JSON for people, members in document order.
    public static func prettyString(_ value: JSONValue, indent: String = "  ") -> String {
        var output: [UInt8] = []
        writePretty(value, depth: 0, indent: Array(indent.utf8), into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    private static func writePretty(_ value: JSONValue, depth: Int, indent: [UInt8], into output: inout [UInt8]) {
        func newline(_ level: Int) {
            output.append(0x0A)
            for _ in 0..<level { output.append(contentsOf: indent) }
        }
        switch value {
        case .array(let elements) where !elements.isEmpty:
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                newline(depth + 1)
                writePretty(element, depth: depth + 1, indent: indent, into: &output)
            }
            newline(depth)
            output.append(UInt8(ascii: "]"))
        case .object(let object) where !object.isEmpty:
            output.append(UInt8(ascii: "{"))
            for (index, member) in object.members.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                newline(depth + 1)
                writeString(member.key, into: &output)
                output.append(contentsOf: ": ".utf8)
                writePretty(member.value, depth: depth + 1, indent: indent, into: &output)
            }
            newline(depth)
            output.append(UInt8(ascii: "}"))
        default:
            write(value, keyOrder: .documentOrder, into: &output)
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
