/// A failure of the store, in words an operator can act on. The message names the database file.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Another process holds the write lock longer than the busy timeout.
        case locked
        /// The file or its directory cannot be written.
        case readOnly
        /// The disk (or a size limit) is full; the batch in flight was rolled back.
        case full
        /// Not a SparkLedger database, or damaged.
        case corrupt
        /// A newer SparkLedger wrote this database.
        case newerSchema
        /// The file cannot be opened at all.
        case cannotOpen
        case other
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}

import GRDB

extension StoreError {
    /// Maps a database error to a one-line message that names the file and what to do.
    static func translating(_ error: any Error, path: String, while activity: String) -> StoreError {
        if let error = error as? StoreError { return error }
        guard let error = error as? DatabaseError else {
            return StoreError(.other, "database \(path): \(activity) failed: \(error)")
        }
        let detail = error.message ?? "\(error.resultCode)"
        switch error.resultCode.primaryResultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return StoreError(.locked, "database \(path) is locked by another process (\(activity)); the transaction in flight was rolled back")
        case .SQLITE_READONLY:
            return StoreError(.readOnly, "database \(path) is read-only (\(activity)): \(detail)")
        case .SQLITE_FULL:
            return StoreError(.full, "disk full while \(activity) \(path): the transaction in flight was rolled back")
        case .SQLITE_IOERR:
            return StoreError(.full, "I/O error while \(activity) \(path) (disk full or a file size limit?): the transaction in flight was rolled back (\(detail))")
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return StoreError(.corrupt, "\(path) is not a SparkLedger database or is damaged: \(detail)")
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH:
            return StoreError(.cannotOpen, "cannot open database \(path): \(detail)")
        default:
            return StoreError(.other, "database \(path): \(activity) failed: \(detail)")
        }
    }
}
