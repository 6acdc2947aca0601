import Foundation
import SparkLedgerCore
import SparkLedgerStorage

/// Parses the time arguments of `--since` / `--until`: epoch milliseconds, an ISO 8601 date or
/// date-time (UTC unless it has an offset), or an age such as `90m`, `36h`, `7d` (that long ago).
enum TimeArgument {
    static let help = "epoch ms, 2026-10-01, 2026-10-01T12:00:00Z, or an age like 36h or 7d"

    static func parse(_ text: String, flag: String, now: Int64 = StoreConfiguration.systemClock()) throws -> Int64 {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let milliseconds = Int64(trimmed), trimmed.count >= 10 { return milliseconds }
        if let last = trimmed.last, let amount = Int64(trimmed.dropLast()), amount >= 0 {
            let unit: Int64? = switch last {
            case "m": 60_000
            case "h": 3_600_000
            case "d": 86_400_000
            case "w": 604_800_000
            default: nil
            }
            if let unit { return now - amount * unit }
        }
        if let day = UTCDay(iso: trimmed) { return day.startMilliseconds }
        if let instant = parseDateTime(trimmed) { return instant }
        throw CommandFailure("\(flag) \"\(text)\" is not a time: expected \(help)")
    }

    static func parseDay(_ text: String, flag: String) throws -> UTCDay {
        guard let day = UTCDay(iso: text.trimmingCharacters(in: .whitespaces)) else {
            throw CommandFailure("\(flag) \"\(text)\" is not a day: expected YYYY-MM-DD (UTC)")
        }
        return day
    }

    private static func parseDateTime(_ text: String) -> Int64? {
        var candidate = text.replacingOccurrences(of: " ", with: "T")
        if candidate.range(of: #"(Z|[+-]\d\d:?\d\d)$"#, options: .regularExpression) == nil { candidate += "Z" }
        // Allow minutes without seconds: 2026-10-01T12:00Z.
        candidate = candidate.replacingOccurrences(of: #"T(\d\d:\d\d)(Z|[+-])"#, with: "T$1:00$2", options: .regularExpression)
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime, .withFractionalSeconds], [.withInternetDateTime]] {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = options
            if let date = formatter.date(from: candidate) {
                return Int64((date.timeIntervalSince1970 * 1000).rounded())
            }
        }
        return nil
    }
}

/// An error for the user: printed as one line, exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
