/// The canonical text of a tape's object or array (`JSONWriter`, `.canonical`) written from the
/// tape's tokens, for the common case where each token is already written as `JSONWriter` writes
/// it: a string without an escape, a number as `JSONWriter` spells it, objects of at most
/// `maximumMembers` members. Then the canonical text is the document's tokens with each object's
/// members sorted by key and no whitespace, copied in one walk over the nodes without building a
/// `JSONValue` tree. Anything else gives nil, and the caller writes the value with `JSONWriter`:
/// a string with an escape (`"\/"` and `"\u00e9"` are written `"/"` and `"é"`), `1.0` (written
/// `1`), `1.50`, `1e3`, `-0`, an integer of more than 18 digits (past Int64 it is a Double), a
/// fraction that is not Double's shortest text.
extension JSONTape {
    /// The canonical JSON text of an `.object` or `.array` node: from its tokens when they allow
    /// (`rawCanonicalText`), else written from its value.
    /// `recent`, when given, hands out a text it holds instead of building it again.
    public func canonicalText(at node: Int, recent: RecentStrings? = nil) -> String {
        rawCanonicalText(at: node, recent: recent) ?? JSONWriter.string(value(at: node))
    }

    /// The canonical text of an `.object` or `.array` node read from the document's tokens, or nil
    /// when a token would be written differently (see above) or the tape has no document.
    public func rawCanonicalText(at node: Int, recent: RecentStrings? = nil) -> String? {
        let entry = nodes[node]
        guard entry.kind == .object || entry.kind == .array, entry.end > entry.start else { return nil }
        // Without whitespace the text is no longer than the document's.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Int(entry.end - entry.start)) { output -> String? in
            storage.withUnsafeBufferPointer { bytes in
                nodes.withUnsafeBufferPointer { nodes in
                    var emitter = CanonicalEmitter(bytes: bytes, documentCount: documentCount, nodes: nodes, output: output.baseAddress!)
                    guard emitter.emit(node) else { return nil }
                    if let recent { return recent.string(output.baseAddress.unsafelyUnwrapped, count: emitter.written) }
                    return String(decoding: UnsafeBufferPointer(start: output.baseAddress, count: emitter.written), as: UTF8.self)
                }
            }
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

}

/// Writes a tape's value in canonical order, checking that each token is written by `JSONWriter`
/// as it stands.
private struct CanonicalEmitter {
    let bytes: UnsafeBufferPointer<UInt8>
    let documentCount: Int
    let nodes: UnsafeBufferPointer<JSONTape.Node>
    let output: UnsafeMutablePointer<UInt8>
    var written = 0

    /// A member: its key's node, its value's, and the key's first eight bytes, big-endian and
    /// zero-padded, so that most comparisons are one.
    struct Member {
        var key: Int
        var value: Int
        var prefix: UInt64
    }

    init(bytes: UnsafeBufferPointer<UInt8>, documentCount: Int, nodes: UnsafeBufferPointer<JSONTape.Node>, output: UnsafeMutablePointer<UInt8>) {
        self.bytes = bytes
        self.documentCount = documentCount
        self.nodes = nodes
        self.output = output
    }

    mutating func put(_ byte: UInt8) {
        output[written] = byte
        written += 1
    }

    /// Copies document bytes `start..<end` to the output.
    mutating func copy(_ start: Int, _ end: Int) {
        let length = end - start
        let source = UnsafeRawPointer(bytes.baseAddress.unsafelyUnwrapped + start)
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

    /// Whether a string node's text is in the document as it stands (no escape): its quotes
    /// around it there.
    func isPlainString(_ node: JSONTape.Node) -> Bool {
        Int(node.end) < documentCount
    }

    /// Emits the node's value; false when a token would be written differently.
    mutating func emit(_ index: Int) -> Bool {
        let node = nodes[index]
        switch node.kind {
        case .object:
            return object(index, node)
        case .array:
            put(UInt8(ascii: "["))
            var element = index + 1
            for position in 0..<Int(node.bits) {
                if position > 0 { put(UInt8(ascii: ",")) }
                guard emit(element) else { return false }
                element = Int(nodes[element].next)
            }
            put(UInt8(ascii: "]"))
            return true
        case .string:
            guard isPlainString(node) else { return false }
            copy(Int(node.start) - 1, Int(node.end) + 1)  // with its quotes
            return true
        case .int, .double:
            guard JSONTape.canonicalNumberEnd(bytes, at: Int(node.start)) == Int(node.end) else { return false }
            copy(Int(node.start), Int(node.end))
            return true
        case .null, .true, .false:
            copy(Int(node.start), Int(node.end))
            return true
        }
    }

    private mutating func object(_ index: Int, _ node: JSONTape.Node) -> Bool {
        let count = Int(node.bits)
        guard count <= JSONTape.maximumMembers else { return false }
        return withUnsafeTemporaryAllocation(of: Member.self, capacity: max(1, count)) { buffer -> Bool in
            let members = buffer.baseAddress!
            var key = index + 1
            for position in 0..<count {
                let keyNode = nodes[key]
                guard isPlainString(keyNode) else { return false }
                let start = bytes.baseAddress.unsafelyUnwrapped + Int(keyNode.start)
                members[position] = Member(key: key, value: key + 1, prefix: UTF8Order.prefix(UnsafeRawPointer(start), count: Int(keyNode.end - keyNode.start)))
                key = Int(nodes[key + 1].next)
            }
            // Insertion sort by key bytes: objects are small, and usually come in order.
            var sorted = 1
            while sorted < count {
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
            for position in 0..<count {
                if position > 0 { put(UInt8(ascii: ",")) }
                let member = members[position]
                let keyNode = nodes[member.key]
                copy(Int(keyNode.start) - 1, Int(keyNode.end) + 1)
                put(UInt8(ascii: ":"))
                guard emit(member.value) else { return false }
            }
            put(UInt8(ascii: "}"))
            return true
        }
    }

    /// Whether `a`'s key precedes `b`'s in UTF-8 byte order (plain keys' bytes are their UTF-8).
    private func precedes(_ a: Member, _ b: Member) -> Bool {
        if a.prefix != b.prefix { return a.prefix < b.prefix }
        return UTF8Order.compare(key(a.key), key(b.key)) < 0
    }

    private func key(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let node = nodes[index]
        return UnsafeBufferPointer(rebasing: bytes[Int(node.start)..<Int(node.end)])
    }
}
