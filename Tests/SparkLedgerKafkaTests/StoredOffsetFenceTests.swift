import SparkLedgerCore
import SparkLedgerIngest
import SparkLedgerKafka
import SparkLedgerStorage
import SparkLedgerTestSupport
import Testing

/// Records below a partition's stored position were applied before (by this member before a
/// crash, or by another before a rebalance): the store skips them, bad ones included.
@Suite struct StoredOffsetFenceTests {
    let now: Int64 = 1_790_000_100_000

    func batch(offsets: Range<Int64>) -> IngestBatch {
        let decoder = KafkaRecordDecoder()
        let items = offsets.map { offset in
            let value = offset % 3 == 0
                ? "broken \(offset)"
                : #"{"event_id":"e\#(offset)","execution_id":"exec-\#(offset % 4)","event_type":"RUNNING","timestamp":\#(1_790_000_000_000 + offset),"source":"runner","schema_version":1,"payload":{}}"#
            return decoder.decode(KafkaRecord(topic: "t", partition: 0, offset: offset, key: nil, value: Array(value.utf8)), ingestTime: now).item
        }
        return IngestBatch(items: items, checkpoints: [IngestCheckpoint(source: IngestCheckpoint.kafkaSource(topic: "t", partition: 0), position: offsets.upperBound)])
    }

    @Test func recordsBelowTheStoredPositionAreSkipped() throws {
        let directory = TemporaryDirectory()
        let store = try SQLiteEventStore(StoreConfiguration(path: directory.file("fence.db"), clock: { 1_790_000_100_000 }))
        let first = try store.append(batch(offsets: 0..<10))
        #expect(first.accepted == 6)
        #expect(first.quarantinedTotal == 4)
        #expect(first.alreadyApplied == 0)

        // A member that re-reads 5..<15 applies only 10..<15 (12 is the broken one).
        let second = try store.append(batch(offsets: 5..<15))
        #expect(second.alreadyApplied == 5)
        #expect(second.accepted == 4)
        #expect(second.quarantinedTotal == 1)
        #expect(try store.quarantine().count == 5)
        #expect(try store.checkpoint(source: "kafka:t/0")?.position == 15)

        // A stale member's older batch neither applies anything nor moves the position back.
        let stale = try store.append(batch(offsets: 0..<8))
        #expect(stale.alreadyApplied == 8)
        #expect(stale.accepted + stale.duplicates + stale.quarantinedTotal == 0)
        #expect(try store.checkpoint(source: "kafka:t/0")?.position == 15)
    }
}
