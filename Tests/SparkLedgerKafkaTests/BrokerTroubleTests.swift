import Foundation
import SparkLedgerStorage
import SparkLedgerTestSupport
import Testing

/// `serve` outlives its brokers: unreachable at start or gone mid-run, it keeps retrying, logs it,
/// reports not ready, and resumes without loss when they are back.
@Suite(.serialized) struct BrokerTroubleTests {
    @Test func brokersUnreachableAtStartAreWaitedFor() async throws {
        let broker = try OwnBroker()
        let history = try PublishedHistory(executions: 150, seed: 8, publishNow: false)
        let store = try history.store("served.db")
        let serve = try ServeProcess(brokers: broker.address, topic: history.topic, group: TestBroker.uniqueName("group"),
                                     db: history.directory.file("served.db"), logPath: history.directory.file("serve.log"))
        try await waitUntil("serve says Kafka is unavailable", seconds: 20) { serve.log.contains("Kafka unavailable, retrying") }
        try await Task.sleep(for: .seconds(1))
        #expect(serve.process.isRunning)
        #expect(serve.log.contains("not ready"))

        try await broker.start()
        try history.publish(to: broker.client)
        try await waitUntil("every message is applied", log: serve) { try history.appliedMessages(store) == Int64(history.lines) }
        #expect(serve.log.contains("ready: consuming 3 partition(s)"), "\(serve.log)")
        #expect(serve.terminate() < .seconds(5))
        #expect(serve.process.terminationStatus == 0, "\(serve.log)")
        let (ingested, _) = try history.ingested()
        #expect(try storedEvents(store) == storedEvents(ingested))
        #expect(try snapshots(store) == snapshots(ingested))
    }

    @Test func brokersVanishingMidRunAreWaitedForAndNothingIsLostOrDoubled() async throws {
        let broker = try OwnBroker()
        try await broker.start()
        let history = try PublishedHistory(executions: 1_500, seed: 9, publishNow: false)
        // Only the first part of the history is on the broker when it vanishes, so the broker
        // vanishes before the end of the stream however fast `serve` runs and however late this
        // test looks (the whole suite shares two cores): a `serve` that finished the whole
        // history first made this test fail now and then.
        let firstPart = history.lines * 3 / 5
        try history.publishFirst(firstPart, to: broker.client)
        let store = try history.store("served.db")
        // librdkafka prefetches into its local queue, and `serve` goes on applying what it holds
        // after the broker is gone. A small local queue and short transactions make it likely
        // that the broker dies while records flow and some still wait in that queue.
        let serve = try ServeProcess(brokers: broker.address, topic: history.topic, group: TestBroker.uniqueName("group"),
                                     db: history.directory.file("served.db"), logPath: history.directory.file("serve.log"), batchRecords: 20,
                                     commitEvery: 200, kafkaOptions: ["queued.min.messages=100", "queued.max.messages.kbytes=64", "max.partition.fetch.bytes=16384"])
        try await waitUntil("serve is mid-stream") { try history.appliedMessages(store) > 0 }
        broker.kill()
        let appliedWhenGone = try history.appliedMessages(store)
        #expect(appliedWhenGone <= Int64(firstPart))
        try await waitUntil("serve says Kafka is unavailable", seconds: 30) { serve.log.contains("Kafka unavailable, retrying") }
        try await waitUntil("serve reports not ready", seconds: 30) { serve.log.contains("not ready: Kafka unavailable") }
        #expect(serve.process.isRunning)
        // Records fetched before the broker went away are no sign that it is back; only its answer is.
        try await Task.sleep(for: .seconds(3))
        #expect(!serve.log.contains("Kafka is reachable again"), "\(serve.log)")

        // The broker comes back. Tansu keeps nothing across a restart, so the topic is published
        // again in the same order: every record gets its former partition and offset back. It is
        // published a few seconds after `serve` has seen the broker again, so the group forms
        // while the topic is missing (as when a topic is deleted and created again): librdkafka
        // alone would then not rejoin when it reappears (`serve` says when it rejoins for it).
        try await broker.start()
        try await waitUntil("serve sees the broker again", seconds: 30) { serve.log.contains("Kafka is reachable again") }
        try await Task.sleep(for: .seconds(3))
        try history.publish(to: broker.client)
        try await waitUntil("every message is applied", log: serve) { try history.appliedMessages(store) == Int64(history.lines) }
        #expect(serve.terminate() < .seconds(5))
        #expect(serve.process.terminationStatus == 0, "\(serve.log)")
        let (ingested, report) = try history.ingested()
        #expect(try storedEvents(store) == storedEvents(ingested))
        #expect(try snapshots(store) == snapshots(ingested))
        #expect(try store.quarantine().count == report.total.quarantinedTotal)
    }
}
