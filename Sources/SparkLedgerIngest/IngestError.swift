import SparkLedgerArchive
import SparkLedgerStorage

/// Why an ingest run stopped, and how many records it had committed before: those stay.
public struct IngestError: Error, Sendable, CustomStringConvertible {
    public enum Cause: Sendable {
        case archive(ArchiveError)
        case store(StoreError)
    }

    public var cause: Cause
    /// Records (events, duplicates and rejections) in transactions committed before the failure.
    public var committedRecords: Int

    public var description: String {
        switch cause {
        case .archive(let error): return error.description
        case .store(let error): return error.description
        }
    }
}
