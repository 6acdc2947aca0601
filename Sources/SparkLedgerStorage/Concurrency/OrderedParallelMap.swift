import Foundation
import Synchronization

/// Transforms work items on several threads of its own and hands the results to one consumer in
/// the order the items were submitted: a producer that must stay sequential (a statement stepping
/// through the log) feeds a transformation that need not (decoding and folding), and the consumer
/// (a writer) sees the sequence as if one thread had done it all.
///
/// `submit` waits while `capacity` items are submitted but not yet taken by `next`, so memory
/// stays bounded however fast the producer is. A transform's error comes out of `next` at its
/// item's place in the order.
///
/// `@unchecked Sendable`: a `Slot`'s result is written by one worker before it signals `done`
/// and read by the consumer only after waiting on it; the queues and the flag synchronise themselves.
final class OrderedParallelMap<Input: Sendable, Output: Sendable>: @unchecked Sendable {
    private final class Slot: @unchecked Sendable {
        var input: Input?
        var result: Result<Output, any Error>?
        let done = DispatchSemaphore(value: 0)

        init(_ input: Input) {
            self.input = input
        }
    }

    /// Raised by `next` for items whose transform was skipped because the consumer stopped.
    struct Cancelled: Error {}

    private let inOrder: BoundedBlockingQueue<Slot>
    private let waiting: BoundedBlockingQueue<Slot>
    private let cancelled = Atomic<Bool>(false)
    private let workersDone = DispatchGroup()
    private let transform: @Sendable (Input) throws -> Output

    init(threads: Int, capacity: Int, name: String, _ transform: @escaping @Sendable (Input) throws -> Output) {
        inOrder = BoundedBlockingQueue(capacity: capacity)
        waiting = BoundedBlockingQueue(capacity: capacity)
        self.transform = transform
        for index in 0..<max(1, threads) {
            workersDone.enter()
            // The threads hold the map until `finish` or `cancel` lets them run out of work.
            ThreadName.startThread(named: "\(name)-\(index + 1)") { self.work() }
        }
    }

    private func work() {
        while let slot = waiting.pop() {
            let input = slot.input.take().unsafelyUnwrapped
            slot.result = cancelled.load(ordering: .relaxed) ? .failure(Cancelled()) : Result { try transform(input) }
            slot.done.signal()
        }
        workersDone.leave()
    }

    /// Queues `input`, waiting while `capacity` results are not yet taken; false once the
    /// consumer has stopped (`cancel`), when the producer should stop too.
    @discardableResult
    func submit(_ input: Input) -> Bool {
        let slot = Slot(input)
        guard inOrder.push(slot) else { return false }
        return waiting.push(slot)
    }

    /// No more items: `next` returns the rest, then nil.
    func finish() {
        inOrder.close()
        waiting.close()
    }

    /// The next result in submission order, waiting for it; nil once `finish` was called and
    /// every result was taken. Rethrows the item's transform error.
    func next() throws -> Output? {
        guard let slot = inOrder.pop() else { return nil }
        slot.done.wait()
        return try slot.result.unsafelyUnwrapped.get()
    }

    /// The consumer stops early: `submit` returns false from now on, and items not yet
    /// transformed are skipped. Waits for the worker threads to exit.
    func cancel() {
        cancelled.store(true, ordering: .relaxed)
        finish()
        workersDone.wait()
    }

    /// Waits for the worker threads to exit (after `finish`, once they drained the queue).
    func join() {
        workersDone.wait()
    }
}
