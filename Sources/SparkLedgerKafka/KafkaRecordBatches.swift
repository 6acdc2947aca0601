/// The records of a consumer-group member, batch by batch. Each `next()` polls once on the
/// consumer's own queue; an empty batch means nothing arrived in time (the caller learns the
/// current assignment from it all the same).
public struct KafkaRecordBatches: AsyncSequence, Sendable {
    public typealias Element = KafkaRecordBatch

    let consumer: AsyncKafkaConsumer
    let maxRecords: Int
    let timeoutMilliseconds: Int
    let stop: StopRequest
    let onTransientError: @Sendable (KafkaError) -> Void

    public struct AsyncIterator: AsyncIteratorProtocol {
        let batches: KafkaRecordBatches

        public mutating func next() async throws -> KafkaRecordBatch? {
            guard !batches.stop.isRequested, !Task.isCancelled else { return nil }
            return try await batches.consumer.poll(maxRecords: batches.maxRecords, timeoutMilliseconds: batches.timeoutMilliseconds,
                                                   onTransientError: batches.onTransientError)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(batches: self)
    }
}
