import Synchronization

/// Live counters of a running ingest, updated by its threads and read by a progress display.
public final class IngestProgress: Sendable {
    /// Bytes of input files read so far (compressed bytes for .zst files).
    public let bytesRead = Atomic<Int64>(0)
    /// Total size of the input files, where known (0 for standard input).
    public let bytesTotal = Atomic<Int64>(0)
    public let linesRead = Atomic<Int64>(0)
    /// Events committed (accepted + duplicates + quarantined).
    public let recordsCommitted = Atomic<Int64>(0)

    public init() {}
}
