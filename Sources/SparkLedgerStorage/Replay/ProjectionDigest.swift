import GRDB
import SparkLedgerCore

/// A SHA-256 over every projection row (executions, their metrics, daily usage) in key order, every column
/// with its type; doubles by their bit pattern. Equal digests mean bit-identical projections.
enum ProjectionDigest {
    static func compute(_ db: Database) throws -> String {
        var hasher = SHA256()
        for sql in [
            "SELECT * FROM executions ORDER BY execution_key",
            "SELECT * FROM execution_metrics ORDER BY execution_key",
            "SELECT * FROM daily_usage ORDER BY day, team, job_path, namespace, vendor",
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
                buffer.append(0x1E)
                hasher.update(buffer)
            }
        }
        return SHA256.hex(hasher.finalize())
    }
}
