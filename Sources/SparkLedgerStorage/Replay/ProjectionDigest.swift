import GRDB
import SparkLedgerCore

/// A SHA-256 over every projection row (executions, their metrics, daily usage) in key order: each
/// row's columns, with their types and doubles by bit pattern, are reduced to a 64-bit `RowHash`
/// and the row hashes go through SHA-256. Equal digests mean bit-identical projections (up to a
/// 2^-64 chance per changed row), at a tenth of the cost of hashing every byte with SHA-256.
enum ProjectionDigest {
    static func compute(_ db: Database) throws -> String {
        var hasher = SHA256()
        for sql in [
            "SELECT * FROM executions ORDER BY execution_key",
            "SELECT * FROM execution_metrics ORDER BY execution_key",
            "SELECT * FROM daily_usage ORDER BY day, team, job_path, namespace, vendor",
            "SELECT * FROM daily_team_usage ORDER BY day, team",
        ] {
            hasher.update(sql)
            let select = try RawStatement(db, sql)
            defer { select.reset() }
            let columns = select.columnCount
            var buffer: [UInt8] = []
            while try select.step() {
                buffer.removeAll(keepingCapacity: true)
                for column in 0..<columns {
                    select.appendTagged(column, to: &buffer)
                }
                var rowHash = RowHash.hash(buffer).bigEndian
                withUnsafeBytes(of: &rowHash) { hasher.update($0) }
            }
        }
        return SHA256.hex(hasher.finalize())
    }
}
