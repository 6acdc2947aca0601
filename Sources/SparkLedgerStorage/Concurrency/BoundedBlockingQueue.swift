import Foundation

/// A fixed-capacity queue between two threads doing blocking work (a parser and a database
/// writer): `push` waits while full, `pop` waits while empty. Closing wakes both sides.
///
/// `@unchecked Sendable`: every stored property is read and written only under `condition`.
public final class BoundedBlockingQueue<Element: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element?] = []
    private var head = 0
    private var count = 0
    private var closed = false

    public init(capacity: Int) {
        items = Array(repeating: nil, count: max(1, capacity))
    }

    /// Waits for room; false when the queue was closed (the consumer gave up).
    @discardableResult
    public func push(_ element: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while count == items.count && !closed { condition.wait() }
        guard !closed else { return false }
        items[(head + count) % items.count] = element
        count += 1
        condition.broadcast()
        return true
    }

    /// Waits for an element; nil once the queue is closed and drained.
    public func pop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while count == 0 && !closed { condition.wait() }
        return dequeueLocked()
    }

    /// An element if one is waiting; never blocks.
    public func tryPop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        return dequeueLocked()
    }

    /// Takes the oldest element, if any. Call with `condition` locked.
    private func dequeueLocked() -> Element? {
        guard count > 0 else { return nil }
        let element = items[head]
        items[head] = nil
        head = (head + 1) % items.count
        count -= 1
        condition.broadcast()
        return element
    }

    /// No more pushes; pops drain what is left.
    public func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
