/// Values with weights that decay with age: the exact form of the VPA recommender's decaying
/// histogram (which buckets values to bound memory; a job's history is small enough to keep).
public struct DecayingSamples: Sendable, Equatable {
    public private(set) var samples: [(value: Double, weight: Double)] = []

    public init() {}

    public init(_ samples: [(value: Double, weight: Double)]) {
        for sample in samples { add(sample.value, weight: sample.weight) }
    }

    public mutating func add(_ value: Double, weight: Double) {
        guard weight > 0, value.isFinite else { return }
        samples.append((value, weight))
    }

    public var totalWeight: Double { samples.reduce(0) { $0 + $1.weight } }
    public var count: Int { samples.count }
    public var isEmpty: Bool { samples.isEmpty }

    /// The smallest value with at least `fraction` of the total weight at or below it; nil when empty.
    public func percentile(_ fraction: Double) -> Double? {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted { $0.value < $1.value }
        let threshold = fraction * totalWeight
        var cumulative = 0.0
        for sample in sorted {
            cumulative += sample.weight
            // A relative tolerance keeps sums like 0.1 + 0.2 from missing an exact threshold.
            if cumulative >= threshold * (1 - 1e-12) { return sample.value }
        }
        return sorted.last?.value
    }

    public static func == (a: DecayingSamples, b: DecayingSamples) -> Bool {
        a.samples.count == b.samples.count && zip(a.samples, b.samples).allSatisfy { $0.value == $1.value && $0.weight == $1.weight }
    }
}
