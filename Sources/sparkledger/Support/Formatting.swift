import Foundation
import SparkLedgerCore

/// How numbers, sizes, durations and times look in tables.
enum Formatting {
    /// 1234567 → "1,234,567".
    static func count<T: BinaryInteger>(_ value: T) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    static func usd(_ value: Double?) -> String {
        guard let value else { return "-" }
        if value >= 1000 { return "$" + count(Int64(value.rounded())) }
        return String(format: "$%.2f", value)
    }

    static func bytes(_ value: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var amount = Double(value)
        var unit = 0
        while amount >= 1024 && unit < units.count - 1 {
            amount /= 1024
            unit += 1
        }
        return unit == 0 ? "\(value) B" : String(format: "%.1f %@", amount, units[unit])
    }

    /// 93_000 → "1m33s"; 5_400_000 → "1h30m".
    static func duration(milliseconds: Int64?) -> String {
        guard let milliseconds else { return "-" }
        let seconds = milliseconds / 1000
        if seconds < 60 { return milliseconds < 10_000 ? String(format: "%.1fs", Double(milliseconds) / 1000) : "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m\(String(format: "%02d", seconds % 60))s" }
        return "\(seconds / 3600)h\(String(format: "%02d", (seconds % 3600) / 60))m"
    }

    static func rate(_ count: Int64, seconds: Double) -> String {
        seconds > 0 ? Self.count(Int64((Double(count) / seconds).rounded())) : "-"
    }

    /// Epoch ms → "2026-10-01 14:03:22Z".
    static func time(_ milliseconds: Int64?) -> String {
        guard let milliseconds else { return "-" }
        let day = UTCDay(containing: milliseconds)
        let inDay = (milliseconds - day.startMilliseconds) / 1000
        return String(format: "%@ %02lld:%02lld:%02lldZ", day.description, inDay / 3600, (inDay % 3600) / 60, inDay % 60)
    }

    static func seconds(_ value: Double) -> String {
        String(format: "%.2f s", value)
    }
}
