/// Bucket counts of a latency over the contract's fixed bounds (§8). Counts are per bucket (not
/// cumulative); the last bucket is +Inf. An exporter sums them into cumulative `le` buckets.
public struct LatencyHistogram: Sendable, Equatable {
    /// Execution duration bounds, seconds.
    public static let durationBoundsSeconds: [Double] = [30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400, 28800, 86400]
    /// Queue time bounds, seconds.
    public static let queueTimeBoundsSeconds: [Double] = [5, 10, 30, 60, 120, 300, 600, 1800]

    public let boundsSeconds: [Double]
    public private(set) var counts: [Int64]

    public init(boundsSeconds: [Double], counts: [Int64]? = nil) {
        self.boundsSeconds = boundsSeconds
        self.counts = counts ?? Array(repeating: 0, count: boundsSeconds.count + 1)
    }

    /// Counts the value into the first bucket whose upper bound it does not exceed (`le` semantics).
    public mutating func record(milliseconds: Int64) {
        let seconds = Double(milliseconds) / 1000
        let index = boundsSeconds.firstIndex { seconds <= $0 } ?? boundsSeconds.count
        counts[index] += 1
    }

    public mutating func add(_ other: LatencyHistogram) {
        for index in counts.indices { counts[index] += other.counts[index] }
    }

    public var isEmpty: Bool { counts.allSatisfy { $0 == 0 } }
}
