import Foundation
import SparkLedgerCore
import SparkLedgerIngest
import SparkLedgerKafka
import SparkLedgerMetrics
import SparkLedgerStorage
import SparkLedgerTestSupport
import Testing

/// Against the real broker script/test starts.
@Suite(.serialized) struct KafkaIngestTests {
    @Test func servingATopicGivesWhatIngestingTheFileGives() async throws {
        let history = try PublishedHistory(executions: 250, seed: 31)
        let served = try history.store("served.db")
        let registry = PipelineMetrics(startTime: 0)
        let status = try await consumeWithStatus(history, into: served, group: TestBroker.uniqueName("group"), messages: Int64(history.lines),
                                                 metrics: IngestMetrics(input: "kafka", factory: registry))
        let totals = status.totals

        let (ingested, report) = try history.ingested()
        #expect(totals.records == history.lines)
        #expect(totals.outcome.accepted == report.total.accepted)
        // Everything consumed: every partition's lag is known and 0, so the consumer is ready.
        #expect(status.lag == Dictionary(uniqueKeysWithValues: totals.assignment.map { ($0, Int64(0)) }))
        #expect(status.isReady)
        // The self-metrics count what the store took.
        let families = Dictionary(uniqueKeysWithValues: registry.families().map { ($0.prometheusName, $0) })
        func total(_ name: String) -> Double {
            families[name]?.points.reduce(0) { sum, point in
                if case .number(let value) = point.value { return sum + value }
                if case .histogram(let histogram) = point.value { return sum + Double(histogram.count) }
                return sum
            } ?? -1
        }
        #expect(total(PipelineMetricNames.eventsIngested) == Double(report.total.accepted))
        #expect(total(PipelineMetricNames.duplicates) == Double(report.total.duplicates))
        #expect(total(PipelineMetricNames.eventsRejected) == Double(report.total.quarantinedTotal))
        #expect(total(PipelineMetricNames.projectionDelay) == Double(totals.batches))
        #expect(families[PipelineMetricNames.consumerLag]?.points.count == 3)
        #expect(total(PipelineMetricNames.consumerLag) == 0)
        #expect(totals.outcome.duplicates == report.total.duplicates)
        #expect(totals.outcome.quarantined == report.total.quarantined)
        #expect(totals.outcome.duplicates > 0)
        #expect(totals.outcome.quarantinedTotal >= PublishedHistory.badLines.count)
        #expect(Set(totals.assignment.map(\.partition)) == [0, 1, 2])
        #expect(try snapshots(served) == snapshots(ingested))
        let servedUsage = try served.usage()
        let ingestedUsage = try ingested.usage()
        #expect(servedUsage.count == ingestedUsage.count)
        for (a, b) in zip(servedUsage, ingestedUsage) where a != b {
            Issue.record("usage differs:\n\(a)\n\(b)")
            break
        }

        // Quarantine entries name where they came from, with the key they had.
        let quarantined = try served.quarantine()
        #expect(quarantined.count == report.total.quarantinedTotal)
        let origin = try Regex(#"^kafka:\#(history.topic)/[0-2]@[0-9]+$"#)
        for entry in quarantined {
            #expect(entry.origin.wholeMatch(of: origin) != nil, "\(entry.origin)")
        }
        let notJSON = try #require(quarantined.first { $0.raw == Array("not json at all".utf8) })
        #expect(notJSON.reason == .malformed)
        #expect(notJSON.messageKey == nil)
        let invalid = try #require(quarantined.first { $0.reason == .invalidPayload || $0.reason == .invalidEnvelope && $0.messageKey != nil })
        #expect(invalid.messageKey != nil)
    }

    @Test func protobufRecordsStoreExactlyWhatJSONLinesStore() async throws {
        let history = try PublishedHistory(executions: 250, seed: 31, encoding: .protobuf)
        let served = try history.store("served.db")
        let totals = try await consume(history, into: served, group: TestBroker.uniqueName("group"), messages: Int64(history.lines))

        let (ingested, report) = try history.ingested()
        #expect(totals.records == history.lines)
        // Only the deliberately broken lines lack a protobuf form; the rest went as protobuf.
        #expect(history.sentAsJSON >= PublishedHistory.badLines.count)
        #expect(history.sentAsJSON < history.lines / 20)
        #expect(totals.outcome.accepted == report.total.accepted)
        #expect(totals.outcome.duplicates == report.total.duplicates)
        #expect(totals.outcome.quarantined == report.total.quarantined)
        let events = try storedEvents(served)
        #expect(events.count == report.total.accepted)
        #expect(events == (try storedEvents(ingested)))
        #expect(try snapshots(served) == snapshots(ingested))
        #expect(try served.usage() == ingested.usage())
        #expect(try served.quarantineCounts() == ingested.quarantineCounts())
    }

    @Test func aSecondRunAppliesNothingTwiceWhateverGroupItUses() async throws {
        let history = try PublishedHistory(executions: 80, seed: 5)
        let store = try history.store("served.db")
        let first = try await consume(history, into: store, group: TestBroker.uniqueName("group"), messages: Int64(history.lines))
        #expect(first.records == history.lines)
        let before = try snapshots(store)
        let quarantined = try store.quarantine().count

        // Another group has no committed offsets in Kafka: the positions stored in the database
        // decide, and everything is already applied. Once it holds every partition, one new
        // record is published: the second run must consume exactly that one.
        let configuration = KafkaIngestConfiguration(client: history.client, topic: history.topic, group: TestBroker.uniqueName("other"),
                                                     batchRecords: 500, batchMilliseconds: 200)
        let service = KafkaIngestService(store: store, configuration: configuration, log: { _ in })
        async let run: Void = service.run()
        do {
            try await waitUntil("the second group holds all three partitions") {
                Set(service.status.snapshot.totals.assignment.map(\.partition)) == [0, 1, 2]
            }
            // Nothing to consume, but the lag (0) is known from the stored positions: ready.
            try await waitUntil("the second group is ready") { service.status.snapshot.isReady }
            #expect(service.status.snapshot.lag.values.allSatisfy { $0 == 0 })
            let late = history.directory.write("late.ndjson", Array("late and not json\n".utf8))
            #expect(try KafkaEventPublisher(client: KafkaClientConfiguration(brokers: history.client.brokers), topic: history.topic).publish([late]).messages == 1)
            try await waitUntil("the second group consumed the new record") { service.status.snapshot.totals.records >= 1 }
        } catch {
            service.stop()
            try await run
            throw error
        }
        service.stop()
        try await run
        let second = service.status.snapshot.totals
        #expect(second.records == 1)
        #expect(second.outcome.accepted == 0)
        #expect(second.outcome.quarantinedTotal == 1)
        #expect(try snapshots(store) == before)
        #expect(try store.quarantine().count == quarantined + 1)
        #expect(try history.appliedMessages(store) == Int64(history.lines) + 1)
    }
}

