import SparkLedgerCore
import SparkLedgerStorage

/// What an ingest run did, per input and in total.
public struct IngestReport: Sendable {
    public struct Input: Sendable {
        public var path: String
        public var lines: Int64 = 0
        /// Whitespace-only lines, which hold no event and are skipped.
        public var blankLines: Int64 = 0
        /// Lines skipped because an earlier, interrupted run had committed them.
        public var resumedAfterLine: Int64 = 0
        public var outcome = AppendOutcome()
    }

    public var inputs: [Input] = []
    public var seconds: Double = 0

    public var total: AppendOutcome {
        inputs.reduce(into: AppendOutcome()) { $0.add($1.outcome) }
    }

    public var lines: Int64 { inputs.reduce(0) { $0 + $1.lines } }
    public var blankLines: Int64 { inputs.reduce(0) { $0 + $1.blankLines } }
}
