import GRDB
import SparkLedgerCore

/// One quarantined record.
public struct QuarantineEntry: Sendable, Equatable {
    public var id: Int64
    public var reason: RejectionReason
    public var detail: String
    public var origin: String
    public var raw: [UInt8]
    public var rawSize: Int64
    public var eventID: String?
    public var executionID: String?
    public var quarantinedAt: Int64
    /// The Kafka message key, when the record came from Kafka with one.
    public var messageKey: [UInt8]?
}

extension SQLiteEventStore {
    /// Quarantined records in arrival order, optionally of one reason and after the entry `afterID`.
    public func quarantine(reason: RejectionReason? = nil, afterID: Int64? = nil, limit: Int? = nil) throws(StoreError) -> [QuarantineEntry] {
        try read { db in
            let conditions: [String] = (reason == nil ? [] : ["reason = ?1"]) + (afterID == nil ? [] : ["id > ?2"])
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let limitClause = limit.map { "LIMIT \(max(0, $0))" } ?? ""
            let select = try RawStatement(db, """
                SELECT id, reason, detail, origin, raw, raw_size, event_id, execution_id, quarantined_at, message_key
                FROM quarantine \(whereClause) ORDER BY id \(limitClause)
                """)
            defer { select.reset() }
            if let reason { select.bind(1, reason.rawValue) }
            if let afterID { select.bind(2, afterID) }
            var entries: [QuarantineEntry] = []
            while try select.step() {
                entries.append(QuarantineEntry(
                    id: select.int64(0), reason: RejectionReason(rawValue: select.string(1)) ?? .malformed,
                    detail: select.string(2), origin: select.string(3), raw: select.blob(4), rawSize: select.int64(5),
                    eventID: select.optionalString(6), executionID: select.optionalString(7), quarantinedAt: select.int64(8),
                    messageKey: select.isNull(9) ? nil : select.blob(9)))
            }
            return entries
        }
    }

    /// Quarantined records per reason.
    public func quarantineCounts() throws(StoreError) -> [RejectionReason: Int64] {
        try read { db in
            var counts: [RejectionReason: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT reason, count(*) AS n FROM quarantine GROUP BY reason") {
                if let reason = RejectionReason(rawValue: row["reason"]) { counts[reason] = row["n"] }
            }
            return counts
        }
    }
}
