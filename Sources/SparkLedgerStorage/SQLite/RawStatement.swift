import GRDB
import GRDBSQLite
import SparkLedgerCore

/// A cached GRDB statement driven through SQLite's C API: the hot paths of ingest, replay and
/// listing, where boxing every value into GRDB's `DatabaseValue` costs more than the SQL itself.
/// All SQLite C calls of the store live in this file, but for the process-wide setup in
/// `SQLiteProcessMode`. Use only inside the `Database` closure that created it.
struct RawStatement {
    private let statement: Statement
    private let handle: OpaquePointer
    private let connection: OpaquePointer

    /// SQLite copies the bytes before `bind` returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ db: Database, _ sql: String) throws {
        guard let connection = db.sqliteConnection else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "the database connection is closed")
        }
        statement = try db.cachedStatement(sql: sql)
        handle = statement.sqliteStatement
        self.connection = connection
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    // MARK: binding (1-based parameter indices)

    func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(handle, index, value)
    }

    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, _ value: Double?) {
        if let value, value.isFinite { sqlite3_bind_double(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, _ value: String?) {
        guard let value else {
            sqlite3_bind_null(handle, index)
            return
        }
        value.withBorrowedUTF8 { bindCopied(index, $0) }
    }

    /// Binds UTF-8 bytes without copying them: the caller runs the statement before the buffer
    /// goes away (inside the same `withUTF8` scope).
    func bindBorrowed(_ index: Int32, _ utf8: UnsafeBufferPointer<UInt8>) {
        bindText(index, utf8, destructor: nil)  // SQLITE_STATIC
    }

    /// Binds UTF-8 text from bytes that SQLite copies (the bytes need not outlive the call).
    func bindCopied(_ index: Int32, _ utf8: UnsafeBufferPointer<UInt8>) {
        bindText(index, utf8, destructor: Self.transient)
    }

    private func bindText(_ index: Int32, _ utf8: UnsafeBufferPointer<UInt8>, destructor: sqlite3_destructor_type?) {
        if let base = utf8.baseAddress, utf8.count > 0 {
            base.withMemoryRebound(to: CChar.self, capacity: utf8.count) { text in
                _ = sqlite3_bind_text(handle, index, text, Int32(utf8.count), destructor)
            }
        } else {
            _ = sqlite3_bind_text(handle, index, "", 0, Self.transient)  // '' is not NULL
        }
    }

    /// How `execute(bindingBorrowed:at:as:)` binds its bytes.
    enum BorrowedValue {
        case text
        case blob
    }

    /// Executes with `bytes` bound at `index` in place (SQLITE_STATIC: no copy by SQLite — a log
    /// row's ~2 KB, a transaction's ~1 MB of packed event ids, which were new memory each time),
    /// then unbinds them, the pointer being valid only during the call.
    func execute(bindingBorrowed bytes: [UInt8], at index: Int32, as value: BorrowedValue = .blob) throws {
        try bytes.withUnsafeBufferPointer { buffer in
            switch value {
            case .text: bindText(index, buffer, destructor: nil)
            case .blob: bindBlob(index, UnsafeRawBufferPointer(buffer), destructor: nil)
            }
            defer { sqlite3_bind_null(handle, index) }
            try execute()
        }
    }

    func bind(_ index: Int32, blob: [UInt8]?) {
        guard let blob else {
            sqlite3_bind_null(handle, index)
            return
        }
        blob.withUnsafeBytes { bindBlob(index, $0, destructor: Self.transient) }
    }

    private func bindBlob(_ index: Int32, _ bytes: UnsafeRawBufferPointer, destructor: sqlite3_destructor_type?) {
        if let base = bytes.baseAddress, bytes.count > 0 {
            _ = sqlite3_bind_blob(handle, index, base, Int32(bytes.count), destructor)
        } else {
            _ = sqlite3_bind_zeroblob(handle, index, 0)  // an empty blob is not NULL
        }
    }

    // MARK: stepping

    /// Advances to the next row; false when there are no more.
    func step() throws -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let message = String(cString: sqlite3_errmsg(connection))
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: String(cString: sqlite3_sql(handle)))
        }
    }

    /// Runs a statement that returns no rows, then makes it ready for new bindings.
    func execute() throws {
        defer { reset() }
        while try step() {}
    }

    func reset() {
        sqlite3_reset(handle)
    }

    /// Rows changed by the last INSERT / UPDATE / DELETE on this connection.
    var changes: Int32 { sqlite3_changes(connection) }

    // MARK: columns (0-based)

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : sqlite3_column_int64(handle, column) }

    func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }

    func optionalDouble(_ column: Int32) -> Double? { isNull(column) ? nil : sqlite3_column_double(handle, column) }

    func string(_ column: Int32) -> String { optionalString(column) ?? "" }

    func optionalString(_ column: Int32) -> String? {
        guard let text = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    /// A TEXT or BLOB column's bytes, read in place (valid only inside `body`).
    func withBytes<R, E: Error>(_ column: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let bytes = sqlite3_column_blob(handle, column) else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        return try body(UnsafeBufferPointer(start: bytes.assumingMemoryBound(to: UInt8.self), count: count))
    }

    func blob(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let bytes = sqlite3_column_blob(handle, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: count))
    }

    // MARK: digests

    var columnCount: Int32 { sqlite3_column_count(handle) }

    /// Adds a column's type tag and value to a row's hash, straight from SQLite's buffers:
    /// integers and doubles' bit patterns as one word each, text and blobs as their length and
    /// then their bytes. (Written into a buffer first, then hashed, the values took twice as long.)
    func hashTagged(_ column: Int32, into row: inout RowHash.Stream) {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_NULL:
            row.add(Self.nullTag)
        case SQLITE_INTEGER:
            row.add(Self.integerTag)
            row.add(UInt64(bitPattern: sqlite3_column_int64(handle, column)))
        case SQLITE_FLOAT:
            row.add(Self.floatTag)
            row.add(sqlite3_column_double(handle, column).bitPattern)
        case let type:
            let count = Int(sqlite3_column_bytes(handle, column))
            row.add(type == SQLITE_BLOB ? Self.blobTag : Self.textTag)
            row.add(UInt64(count))
            if count > 0, let bytes = sqlite3_column_blob(handle, column) {
                row.add(UnsafeRawBufferPointer(start: bytes, count: count))
            }
        }
    }

    // The tags are the letters N, I, F, T and B, as literals (no lazy initialisation to check).
    private static let nullTag: UInt64 = 0x4E
    private static let integerTag: UInt64 = 0x49
    private static let floatTag: UInt64 = 0x46
    private static let textTag: UInt64 = 0x54
    private static let blobTag: UInt64 = 0x42
}

extension Database {
    /// `PRAGMA data_version`: changes when another connection commits, so a writer's caches know
    /// when they went stale.
    func dataVersion() throws -> Int64 {
        try Int64.fetchOne(self, sql: "PRAGMA data_version") ?? 0
    }
}
