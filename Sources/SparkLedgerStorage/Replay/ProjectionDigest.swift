import GRDB
import SparkLedgerCore

/// A SHA-256 over every projection row (executions, their metrics, daily usage) in key order: each
/// row's columns, with their types and doubles by bit pattern, are reduced to a 64-bit `RowHash`
/// and the row hashes go through SHA-256. Equal digests mean bit-identical projections (up to a
/// 2^-64 chance per changed row), at a tenth of the cost of hashing every byte with SHA-256.
///
/// The executions and their metrics can be hashed in key ranges as they become final
/// (`addExecutions(through:)`), so that a replay reads each range back while its pages are still
/// in the cache and while other threads are busy, instead of all of them at the end; the digest
/// is the same either way.
struct ProjectionDigest {
    /// Each table's label in the hashed stream, in the stream's order (the full scans they name
    /// are what the ranges add up to).
    private static let executionsLabel = "SELECT * FROM executions ORDER BY execution_key"
    private static let metricsLabel = "SELECT * FROM execution_metrics ORDER BY execution_key"
    private static let usageScans = [
        "SELECT * FROM daily_usage ORDER BY day, team, job_path, namespace, vendor",
        "SELECT * FROM daily_team_usage ORDER BY day, team",
    ]

    private var hasher = SHA256()
    /// The metrics rows' hashes, which follow every executions row's in the stream.
    private var metricsRowHashes: [UInt64] = []
    /// Every row with a key up to this one is hashed.
    private var hashedThrough: Int64 = .min
    private let executionsInRange: RawStatement
    private let metricsInRange: RawStatement
    private var rowHashes: [UInt64] = []

    init(_ db: Database) throws {
        executionsInRange = try RawStatement(db, "SELECT * FROM executions WHERE execution_key > ?1 AND execution_key <= ?2 ORDER BY execution_key")
        metricsInRange = try RawStatement(db, "SELECT * FROM execution_metrics WHERE execution_key > ?1 AND execution_key <= ?2 ORDER BY execution_key")
        hasher.update(Self.executionsLabel)
    }

    /// The digest of what `db` holds now.
    static func compute(_ db: Database) throws -> String {
        var digest = try ProjectionDigest(db)
        return try digest.finish(db)
    }

    /// Hashes the executions and metrics rows with keys above the last call's `key` and up to
    /// this one. Call with increasing keys, each range once no later write will change it.
    mutating func addExecutions(through key: Int64) throws {
        guard key > hashedThrough else { return }
        for select in [executionsInRange, metricsInRange] {
            select.bind(1, hashedThrough)
            select.bind(2, key)
        }
        defer {
            executionsInRange.reset()
            metricsInRange.reset()
        }
        try Self.appendRowHashes(executionsInRange, to: &rowHashes)
        Self.update(&hasher, with: rowHashes)
        rowHashes.removeAll(keepingCapacity: true)
        try Self.appendRowHashes(metricsInRange, to: &metricsRowHashes)
        hashedThrough = key
    }

    /// The digest: the executions rows not hashed yet, the metrics rows, then the usage tables.
    mutating func finish(_ db: Database) throws -> String {
        try addExecutions(through: .max)
        hasher.update(Self.metricsLabel)
        Self.update(&hasher, with: metricsRowHashes)
        for sql in Self.usageScans {
            hasher.update(sql)
            let select = try RawStatement(db, sql)
            defer { select.reset() }
            try Self.appendRowHashes(select, to: &rowHashes)
            Self.update(&hasher, with: rowHashes)
            rowHashes.removeAll(keepingCapacity: true)
        }
        return SHA256.hex(hasher.finalize())
    }

    /// Each row's `RowHash` of its tagged columns, in the statement's order.
    private static func appendRowHashes(_ select: RawStatement, to hashes: inout [UInt64]) throws {
        let columns = select.columnCount
        while try select.step() {
            var row = RowHash.Stream()
            for column in 0..<columns {
                select.hashTagged(column, into: &row)
            }
            hashes.append(row.finish())
        }
    }

    private static func update(_ hasher: inout SHA256, with rowHashes: [UInt64]) {
        for rowHash in rowHashes {
            var bigEndian = rowHash.bigEndian
            withUnsafeBytes(of: &bigEndian) { hasher.update($0) }
        }
    }
}
