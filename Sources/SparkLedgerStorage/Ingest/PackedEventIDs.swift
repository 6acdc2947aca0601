import GRDB

/// Event-id index entries packed as rows hold them (`event_ids_recent`, `event_id_blocks`):
/// event_hash, execution_key, seq, each a little-endian 64-bit integer, 24 bytes an entry, in
/// hash order.
enum PackedEventIDs {
    typealias Entry = NewEventIndex.Entry

    static let entryBytes = 24

    static func pack<Entries: Collection<Entry>>(_ entries: Entries) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: entries.count * entryBytes) { buffer, initialized in
            let bytes = UnsafeMutableRawBufferPointer(buffer)
            var offset = 0
            for entry in entries {
                bytes.storeBytes(of: entry.hash.littleEndian, toByteOffset: offset, as: Int64.self)
                bytes.storeBytes(of: entry.key.littleEndian, toByteOffset: offset + 8, as: Int64.self)
                bytes.storeBytes(of: entry.seq.littleEndian, toByteOffset: offset + 16, as: Int64.self)
                offset += entryBytes
            }
            initialized = offset
        }
    }

    static func unpack(_ packed: [UInt8]) -> [Entry] {
        packed.withUnsafeBytes { bytes in
            (0..<(bytes.count / entryBytes)).map { entry(at: $0, in: bytes) }
        }
    }

    /// The key and seq stored with `hash`, found by binary search, or nil.
    static func find(_ hash: Int64, in packed: [UInt8]) -> (key: Int64, seq: Int64)? {
        packed.withUnsafeBytes { bytes in
            var low = 0
            var high = bytes.count / entryBytes
            while low < high {
                let middle = (low + high) / 2
                if value(0, of: middle, in: bytes) < hash { low = middle + 1 } else { high = middle }
            }
            guard low < bytes.count / entryBytes, value(0, of: low, in: bytes) == hash else { return nil }
            return (value(1, of: low, in: bytes), value(2, of: low, in: bytes))
        }
    }

    static func forEachHash(in packed: UnsafeBufferPointer<UInt8>, _ body: (Int64) -> Void) {
        let bytes = UnsafeRawBufferPointer(packed)
        for index in 0..<(bytes.count / entryBytes) { body(value(0, of: index, in: bytes)) }
    }

    /// Throws unless `count` bytes are whole entries.
    static func check(_ count: Int, what: @autoclosure () -> String) throws {
        guard count % entryBytes == 0 else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "\(what()) holds \(count) bytes, not a multiple of \(entryBytes)")
        }
    }

    private static func entry(at index: Int, in bytes: UnsafeRawBufferPointer) -> Entry {
        Entry(hash: value(0, of: index, in: bytes), key: value(1, of: index, in: bytes), seq: value(2, of: index, in: bytes))
    }

    private static func value(_ field: Int, of index: Int, in bytes: UnsafeRawBufferPointer) -> Int64 {
        Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: index * entryBytes + field * 8, as: Int64.self))
    }
}
