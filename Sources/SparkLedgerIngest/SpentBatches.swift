import SparkLedgerStorage
import Synchronization

/// Batches the store writer has appended, handed back to the consumer's loop to be freed there.
/// Freeing a batch releases every event's strings and arrays, which the decoding side allocated:
/// on the writer — the thread `serve` waits on — that was work (and cross-thread frees) the other
/// core can do. `FileIngestor` does the same with its parser thread.
final class SpentBatches: Sendable {
    private let batches = Mutex<[IngestBatch]>([])

    func add(_ batch: IngestBatch) {
        batches.withLock { $0.append(batch) }
    }

    /// Takes every batch handed back; the caller's dropping them frees them.
    func take() -> [IngestBatch] {
        batches.withLock { batches in
            var taken: [IngestBatch] = []
            swap(&taken, &batches)
            return taken
        }
    }
}
