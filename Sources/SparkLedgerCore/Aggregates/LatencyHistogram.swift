/// Bucket counts of a latency over the contract's fixed bounds (§8), and the sum of the values.
/// Counts are per bucket (not cumulative); the last bucket is +Inf. An exporter sums them into
/// cumulative `le` buckets.
public struct LatencyHistogram: Sendable, Equatable {
    /// Execution duration bounds, seconds.
    public static let durationBoundsSeconds: [Double] = [30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400, 28800, 86400]
    /// Queue time bounds, seconds.
    public static let queueTimeBoundsSeconds: [Double] = [5, 10, 30, 60, 120, 300, 600, 1800]

    public let boundsSeconds: [Double]
    public private(set) var counts: [Int64]
    /// The sum of the recorded values, milliseconds.
    public private(set) var sumMilliseconds: Int64

    public init(boundsSeconds: [Double], counts: [Int64]? = nil, sumMilliseconds: Int64 = 0) {
        self.boundsSeconds = boundsSeconds
        self.counts = counts ?? Array(repeating: 0, count: boundsSeconds.count + 1)
        self.sumMilliseconds = sumMilliseconds
    }

    /// How many values were recorded.
    public var count: Int64 { counts.reduce(0, &+) }

    /// Counts the value into the first bucket whose upper bound it does not exceed (`le` semantics).
    public mutating func record(milliseconds: Int64) {
        let seconds = Double(milliseconds) / 1000
        let index = boundsSeconds.firstIndex { seconds <= $0 } ?? boundsSeconds.count
        counts[index] += 1
        sumMilliseconds = sumMilliseconds.saturatingAdd(milliseconds)
    }

    public mutating func add(_ other: LatencyHistogram) {
        for index in counts.indices { counts[index] += other.counts[index] }
        sumMilliseconds = sumMilliseconds.saturatingAdd(other.sumMilliseconds)
    }

    public var isEmpty: Bool { counts.allSatisfy { $0 == 0 } }
}
