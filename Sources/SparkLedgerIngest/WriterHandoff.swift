import SparkLedgerKafka
import SparkLedgerStorage
import Synchronization

/// Decoded Kafka batches on their way to the store writer. While the writer has a transaction
/// open, up to `capacity` decoded batches may wait here and the writer takes them into the same
/// transaction, so a backlog is applied in transactions of several batches (fewer rewrites of the
/// snapshots an execution's events touch) with a bounded number of batches in memory. Three let
/// the consumer keep decoding while the writer finishes a transaction, which it does alone — and
/// which, when it moved the gathered event ids into a row per id (every 500,000 events; blocks
/// since store version 7), took 0.3–0.5 s.
///
/// The writer only ever takes what is already waiting, never waits for more: a rebalance that
/// waits for the writer cannot wait on the poll it interrupts.
final class WriterHandoff: Sendable {
    /// A decoded batch, and what the consumer needs once it is committed.
    struct Batch: Sendable {
        var ingest: IngestBatch
        var receipt: Receipt
    }

    /// What the consumer needs of a batch once it is committed.
    struct Receipt: Sendable {
        var next: [KafkaPartition: Int64]
        var records: Int
        var keyMismatches: Int
        var received: ContinuousClock.Instant
        var assignment: Set<KafkaPartition>
    }

    enum Offer: Equatable {
        /// A writer is running and will take the batch into its transaction.
        case queued
        /// No writer is running: the caller starts one with the batch.
        case startWriter
    }

    private struct State {
        var writing = false
        /// In the order offered.
        var waiting: [Batch] = []
        var failed = false
    }

    private let state = Mutex(State())
    let capacity: Int

    init(capacity: Int = 3) {
        precondition(capacity >= 1, "a handoff holds at least one batch")
        self.capacity = capacity
    }

    /// Whether `capacity` batches wait for the running writer (the consumer decodes the next one
    /// only once the writer has taken one).
    var isFull: Bool { state.withLock { $0.waiting.count >= capacity } }

    /// A writer failed: the consumer stops (with the writer's error) instead of polling on.
    var hasFailed: Bool { state.withLock { $0.failed } }

    /// Hands a batch over: to the running writer, or back to the caller to start one. Call only
    /// when `isFull` is false.
    func offer(_ batch: Batch) -> Offer {
        state.withLock { state in
            precondition(state.waiting.count < capacity, "\(capacity) batches already wait for the writer")
            if state.writing {
                state.waiting.append(batch)
                return .queued
            }
            state.writing = true
            return .startWriter
        }
    }

    /// The writer's next batch for its open transaction, or nil: then the writer is done taking
    /// batches (it commits) and the next offer starts a new one.
    func takeNext() -> Batch? {
        state.withLock { state in
            if !state.waiting.isEmpty {
                return state.waiting.removeFirst()
            }
            state.writing = false
            return nil
        }
    }

    /// The writer failed: nothing is running any more, and the waiting batches are dropped (its
    /// transaction never happened; the consumer stops with the writer's error).
    func writerFailed() {
        state.withLock { $0 = State(failed: true) }
    }
}
