import SparkLedgerArchive
import SparkLedgerStorage

/// Why an ingest run stopped. Batches committed before it stay committed.
public enum IngestError: Error, Sendable, CustomStringConvertible {
    case archive(ArchiveError)
    case store(StoreError)

    public var description: String {
        switch self {
        case .archive(let error): return error.description
        case .store(let error): return error.description
        }
    }
}
