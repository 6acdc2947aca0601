import CoreMetrics
import SparkLedgerCore
import SparkLedgerKafka
import SparkLedgerMetrics
import SparkLedgerStorage

/// Records the pipeline's self-metrics of one input (`kafka` or `file`) through swift-metrics:
/// events accepted by type and source, rejections by reason, duplicates, consumer lag per
/// partition and projection delay.
public struct IngestMetrics: Sendable {
    public let input: String
    private let factory: any MetricsFactory

    public init(input: String, factory: any MetricsFactory = MetricsSystem.factory) {
        self.input = input
        self.factory = factory
    }

    public func record(_ outcome: AppendOutcome) {
        for (type, source, count) in outcome.acceptedByKind.nonZero {
            Counter(label: PipelineMetricNames.eventsIngested,
                    dimensions: [("input", input), ("type", type.rawValue), ("source", source.rawValue)], factory: factory)
                .increment(by: count)
        }
        for (reason, count) in outcome.quarantined where count > 0 {
            Counter(label: PipelineMetricNames.eventsRejected, dimensions: [("input", input), ("reason", reason.rawValue)], factory: factory)
                .increment(by: count)
        }
        if outcome.duplicates > 0 {
            Counter(label: PipelineMetricNames.duplicates, dimensions: [("input", input)], factory: factory).increment(by: outcome.duplicates)
        }
    }

    /// Seconds from reading a batch to its commit.
    public func recordProjectionDelay(_ duration: Duration) {
        Recorder(label: PipelineMetricNames.projectionDelay, dimensions: [("input", input)], aggregate: true, factory: factory)
            .record(duration.inSeconds)
    }

    public func recordLag(_ lag: [KafkaPartition: Int64]) {
        for (partition, messages) in lag {
            Gauge(label: PipelineMetricNames.consumerLag,
                  dimensions: [("topic", partition.topic), ("partition", String(partition.partition))], factory: factory)
                .record(messages)
        }
    }
}
