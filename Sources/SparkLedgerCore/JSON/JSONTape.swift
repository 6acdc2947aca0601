/// One JSON document as the strict parser read it, kept flat: a node per value (and per object
/// key) in document order over the document's bytes, with no `JSONValue` tree, no array per
/// object and no String per string. The validator reads an event's fields straight from here, so
/// that only the strings an event keeps are ever built (`JSONParser.tape`).
///
/// Layout: a container's members follow it; an object's are key, value, key, value…, and every
/// node knows the index just past its own subtree (`next`), so the members of an object are
/// found by hopping from key to key without looking inside the values.
public struct JSONTape: Sendable {
    public enum Kind: UInt8, Sendable {
        case null, `false`, `true`, int, double, string, array, object

        /// A name for the kind of value, for error messages, as `JSONValue.kindName` says it.
        public var name: String {
            switch self {
            case .null: return "null"
            case .false, .true: return "a boolean"
            case .int: return "an integer"
            case .double: return "a number"
            case .string: return "a string"
            case .array: return "an array"
            case .object: return "an object"
            }
        }
    }

    struct Node: Sendable {
        var kind: Kind
        /// Strings: the range of their decoded bytes in `storage`. Containers and numbers: their
        /// range in the document.
        var start: Int32
        var end: Int32
        /// The index just past this node's subtree (a key's is its value's index).
        var next: Int32
        /// `.int`: the Int64's bit pattern; `.double`: the Double's; containers: their member or
        /// element count.
        var bits: UInt64
    }

    /// The document's bytes, then the decoded bytes of every string that held an escape.
    let storage: [UInt8]
    let nodes: [Node]
    /// The document's length: `storage` up to here is the document.
    let documentCount: Int

    init(storage: [UInt8], nodes: [Node], documentCount: Int) {
        self.storage = storage
        self.nodes = nodes
        self.documentCount = documentCount
    }

    /// The tape of a tree (the protobuf path builds one), with every value as it is — a Double
    /// that JSON cannot spell included. It has no document: canonical text is written from the
    /// values.
    public init(_ value: JSONValue) {
        var storage: [UInt8] = []
        var nodes: [Node] = []
        Self.append(value, to: &nodes, storage: &storage)
        self.init(storage: storage, nodes: nodes, documentCount: 0)
    }

    private static func append(_ value: JSONValue, to nodes: inout [Node], storage: inout [UInt8]) {
        func node(_ kind: Kind, bits: UInt64 = 0) {
            nodes.append(Node(kind: kind, start: 0, end: 0, next: Int32(nodes.count + 1), bits: bits))
        }
        func string(_ text: String) {
            let start = storage.count
            storage.append(contentsOf: text.utf8)
            nodes.append(Node(kind: .string, start: Int32(start), end: Int32(storage.count), next: Int32(nodes.count + 1), bits: 0))
        }
        switch value {
        case .null: node(.null)
        case .bool(let flag): node(flag ? .true : .false)
        case .int(let number): node(.int, bits: UInt64(bitPattern: number))
        case .double(let number): node(.double, bits: number.bitPattern)
        case .string(let text): string(text)
        case .array(let elements):
            let index = nodes.count
            node(.array, bits: UInt64(elements.count))
            for element in elements { append(element, to: &nodes, storage: &storage) }
            nodes[index].next = Int32(nodes.count)
        case .object(let object):
            let index = nodes.count
            node(.object, bits: UInt64(object.members.count))
            for member in object.members {
                string(member.key)
                append(member.value, to: &nodes, storage: &storage)
            }
            nodes[index].next = Int32(nodes.count)
        }
    }

    /// The node array emptied with its capacity kept, for the next document's tape.
    consuming func reusableNodes() -> [Node] {
        var nodes = self.nodes
        self = JSONTape(storage: [], nodes: [], documentCount: 0)
        nodes.removeAll(keepingCapacity: true)
        return nodes
    }

    /// The document's bytes as they came: the tape's own copy when no string needed decoding.
    public var document: [UInt8] {
        storage.count == documentCount ? storage : Array(storage[..<documentCount])
    }

    /// Calls `body` with the bytes an `.object` or `.array` node spans in the document, as they
    /// came; with nil when the tape has no document (a tape of a tree) or the node is another kind.
    func withDocumentBytes<Result>(of node: Int, _ body: (UnsafeBufferPointer<UInt8>?) -> Result) -> Result {
        let entry = nodes[node]
        guard entry.kind == .object || entry.kind == .array, entry.end > entry.start, Int(entry.end) <= documentCount else {
            return body(nil)
        }
        return storage.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[Int(entry.start)..<Int(entry.end)])) }
    }

    /// The document's top-level value.
    public static let root = 0

    public func kind(at node: Int) -> Kind { nodes[node].kind }

    public func isNull(at node: Int) -> Bool { nodes[node].kind == .null }

    // MARK: scalars

    /// The value of a `.string` node; the contract's names and values are not built again
    /// (`KnownStrings`). Another value is taken from `recent`, when given, if it holds it (and
    /// kept there when not).
    public func string(at node: Int, recent: RecentStrings? = nil) -> String {
        let entry = nodes[node]
        return storage.withUnsafeBufferPointer { Self.string(entry, storage: $0, recent: recent) }
    }

    private static func string(_ entry: Node, storage: UnsafeBufferPointer<UInt8>, recent: RecentStrings?) -> String {
        guard entry.end > entry.start else { return "" }
        let bytes = storage.baseAddress.unsafelyUnwrapped + Int(entry.start)
        let count = Int(entry.end - entry.start)
        if let known = KnownStrings.table.string(bytes, count: count) { return known }
        if let recent { return recent.string(bytes, count: count) }
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// Calls `body` with the UTF-8 bytes of a non-empty `.string` node's value and their count.
    func withStringBytes<Result>(at node: Int, _ body: (UnsafePointer<UInt8>, Int) -> Result) -> Result {
        let entry = nodes[node]
        return storage.withUnsafeBufferPointer { body($0.baseAddress.unsafelyUnwrapped + Int(entry.start), Int(entry.end - entry.start)) }
    }

    /// The value of an `.int` node.
    public func int(at node: Int) -> Int64 { Int64(bitPattern: nodes[node].bits) }

    /// The value of an `.int` or `.double` node, else nil.
    public func number(at node: Int) -> Double? {
        let entry = nodes[node]
        switch entry.kind {
        case .int: return Double(Int64(bitPattern: entry.bits))
        case .double: return Double(bitPattern: entry.bits)
        default: return nil
        }
    }

    /// The UTF-8 length of a `.string` node's value.
    public func stringCount(at node: Int) -> Int { Int(nodes[node].end - nodes[node].start) }

    /// Whether a `.string` node's value is exactly these UTF-8 bytes.
    public func string(at node: Int, equals key: StaticString) -> Bool {
        let entry = nodes[node]
        let count = key.utf8CodeUnitCount
        guard Int(entry.end - entry.start) == count else { return false }
        guard count > 0 else { return true }
        return storage.withUnsafeBufferPointer { buffer in
            memoryEqual(buffer.baseAddress.unsafelyUnwrapped + Int(entry.start), key.utf8Start, count)
        }
    }

    /// Whether a `.string` node's value is `key`.
    public func string(at node: Int, equals key: String) -> Bool {
        let entry = nodes[node]
        guard Int(entry.end - entry.start) == key.utf8.count else { return false }
        guard entry.end > entry.start else { return true }
        return key.withBorrowedUTF8 { key in
            storage.withUnsafeBufferPointer { buffer in
                memoryEqual(buffer.baseAddress.unsafelyUnwrapped + Int(entry.start), key.baseAddress.unsafelyUnwrapped, key.count)
            }
        }
    }

    // MARK: containers

    /// The number of members of an `.object` node or elements of an `.array` node.
    public func count(at node: Int) -> Int { Int(nodes[node].bits) }

    /// The members of an `.object` node in document order: each key's node and its value's.
    public func members(of object: Int) -> Members { Members(tape: self, object: object) }

    public struct Members: Sequence, IteratorProtocol {
        let tape: JSONTape
        var key: Int
        var remaining: Int

        init(tape: JSONTape, object: Int) {
            self.tape = tape
            key = object + 1
            remaining = tape.count(at: object)
        }

        public mutating func next() -> (key: Int, value: Int)? {
            guard remaining > 0 else { return nil }
            remaining -= 1
            let member = (key: key, value: key + 1)
            key = Int(tape.nodes[key + 1].next)
            return member
        }
    }

    /// The value node of the member of `object` named `key`, or nil.
    public func member(_ key: StaticString, of object: Int) -> Int? {
        // Over the buffers directly: payload readers ask this a dozen times an event.
        let count = key.utf8CodeUnitCount
        return nodes.withUnsafeBufferPointer { nodes in
            storage.withUnsafeBufferPointer { storage in
                var node = object + 1
                for _ in 0..<Int(nodes[object].bits) {
                    let entry = nodes[node]
                    if Int(entry.end - entry.start) == count
                        && (count == 0 || memoryEqual(storage.baseAddress.unsafelyUnwrapped + Int(entry.start), key.utf8Start, count)) {
                        return node + 1
                    }
                    node = Int(nodes[node + 1].next)
                }
                return nil
            }
        }
    }

    /// The elements of an `.array` node in document order.
    public func elements(of array: Int) -> [Int] {
        var elements: [Int] = []
        elements.reserveCapacity(count(at: array))
        var element = array + 1
        for _ in 0..<count(at: array) {
            elements.append(element)
            element = Int(nodes[element].next)
        }
        return elements
    }

    // MARK: whole values

    /// The node's value as a tree, for the readers that want one.
    public func value(at node: Int) -> JSONValue {
        nodes.withUnsafeBufferPointer { nodes in
            storage.withUnsafeBufferPointer { storage in
                Self.value(at: node, nodes: nodes, storage: storage)
            }
        }
    }

    /// `value(at:)` over the tape's buffers, without a copy of the tape (and its retains) per
    /// container.
    private static func value(at node: Int, nodes: UnsafeBufferPointer<Node>, storage: UnsafeBufferPointer<UInt8>) -> JSONValue {
        let entry = nodes[node]
        switch entry.kind {
        case .null: return .null
        case .false: return .bool(false)
        case .true: return .bool(true)
        case .int: return .int(Int64(bitPattern: entry.bits))
        case .double: return .double(Double(bitPattern: entry.bits))
        case .string: return .string(string(entry, storage: storage, recent: nil))
        case .array:
            var elements: [JSONValue] = []
            elements.reserveCapacity(Int(entry.bits))
            var element = node + 1
            for _ in 0..<Int(entry.bits) {
                elements.append(value(at: element, nodes: nodes, storage: storage))
                element = Int(nodes[element].next)
            }
            return .array(elements)
        case .object:
            var members: [JSONObject.Member] = []
            members.reserveCapacity(Int(entry.bits))
            var key = node + 1
            for _ in 0..<Int(entry.bits) {
                members.append(JSONObject.Member(string(nodes[key], storage: storage, recent: nil), value(at: key + 1, nodes: nodes, storage: storage)))
                key = Int(nodes[key + 1].next)
            }
            return .object(JSONObject(members))
        }
    }

    /// The node's bytes in the document (containers and numbers).
    public func documentRange(at node: Int) -> Range<Int> { Int(nodes[node].start)..<Int(nodes[node].end) }
}
