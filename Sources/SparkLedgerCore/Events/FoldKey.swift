/// Where an event falls in its execution's fold: `(timestamp, rank, event_id)` (contract §5).
/// Event ids compare by their UTF-8 bytes, so the order is the same on every machine.
public struct FoldKey: Sendable, Hashable, Comparable {
    public var timestamp: Int64
    public var rank: Int
    public var eventID: String

    public init(timestamp: Int64, rank: Int, eventID: String) {
        self.timestamp = timestamp
        self.rank = rank
        self.eventID = eventID
    }

    public static func < (lhs: FoldKey, rhs: FoldKey) -> Bool {
        precedes(lhs.timestamp, lhs.rank, lhs.eventID, rhs.timestamp, rhs.rank, rhs.eventID)
    }

    /// The fold order on a key's three parts, for callers that hold them without a key (building
    /// keys, or copying whole events to compare them, costs more than the comparison).
    public static func precedes(_ leftTimestamp: Int64, _ leftRank: Int, _ leftEventID: String,
                                _ rightTimestamp: Int64, _ rightRank: Int, _ rightEventID: String) -> Bool {
        if leftTimestamp != rightTimestamp { return leftTimestamp < rightTimestamp }
        if leftRank != rightRank { return leftRank < rightRank }
        return UTF8Order.precedes(leftEventID, rightEventID)
    }
}

extension ExecutionEvent {
    /// Fold order without building keys (sorting compares often).
    public static func foldOrder(_ lhs: ExecutionEvent, _ rhs: ExecutionEvent) -> Bool {
        FoldKey.precedes(lhs.timestamp, lhs.type.foldRank, lhs.eventID, rhs.timestamp, rhs.type.foldRank, rhs.eventID)
    }

    /// Whether this event sorts after `key`.
    public func sortsAfter(_ key: FoldKey) -> Bool {
        FoldKey.precedes(key.timestamp, key.rank, key.eventID, timestamp, type.foldRank, eventID)
    }
}

/// Byte-wise order of strings' UTF-8 (not Swift's Unicode-aware `<`), fast for native strings.
public enum UTF8Order {
    public static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        let fast = lhs.utf8.withContiguousStorageIfAvailable { left in
            rhs.utf8.withContiguousStorageIfAvailable { right in compare(left, right) < 0 }
        }
        if let fast, let result = fast { return result }
        return lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    /// `positions` in the byte-wise order of their strings. Each string's first eight bytes are
    /// read once, and whole strings are compared only where those tie: reading the strings for
    /// every comparison retained and released both. Inlinable, so that a caller in another module
    /// gets it specialised: generic, it made a usage row's write twice as costly (callgrind).
    @inlinable
    public static func sorted<Position>(_ positions: some Sequence<Position>, by string: (Position) -> String) -> [Position] {
        var keyed = positions.map { (prefix: prefix(of: string($0)), position: $0) }
        keyed.sort { a, b in
            a.prefix != b.prefix ? a.prefix < b.prefix : precedes(string(a.position), string(b.position))
        }
        return keyed.map(\.position)
    }

    /// `prefix(_:count:)` of a string's UTF-8: where prefixes differ, they order the strings.
    public static func prefix(of string: String) -> UInt64 {
        var string = string
        return string.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return 0 }
            return prefix(UnsafeRawPointer(base), count: bytes.count)
        }
    }

    /// Up to the first eight of `count` bytes as a big-endian integer, zero-padded on the right:
    /// two byte strings whose prefixes differ are in the order of these integers, so sorting
    /// keys compares integers and looks at bytes only when the prefixes tie.
    @inline(__always)
    static func prefix(_ bytes: UnsafeRawPointer, count: Int) -> UInt64 {
        if count >= 8 { return UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self)) }
        var value: UInt64 = 0
        for offset in 0..<max(0, count) {
            value |= UInt64(bytes.load(fromByteOffset: offset, as: UInt8.self)) << (56 - 8 * UInt64(offset))
        }
        return value
    }

    static func compare(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Int {
        let count = min(left.count, right.count)
        var index = 0
        while index < count {
            let a = left[index]
            let b = right[index]
            if a != b { return a < b ? -1 : 1 }
            index += 1
        }
        return left.count - right.count
    }
}
