/// What one thread's validator remembers from one envelope to the next, to share with later
/// envelopes that carry the same: strings (execution ids, payload texts) and decoded payloads.
/// Not `Sendable`: one per thread, like the tape it is used with.
public final class RecentValues {
    public let strings: RecentStrings
    public let payloads: RecentPayloads

    public init(strings: RecentStrings = RecentStrings(), payloads: RecentPayloads = RecentPayloads()) {
        self.strings = strings
        self.payloads = payloads
    }
}
