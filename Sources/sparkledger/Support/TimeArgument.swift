import Foundation
import SparkLedgerCore
import SparkLedgerStorage

/// Parses the time arguments of `--since` / `--until` (`TimeText`'s forms).
enum TimeArgument {
    static let help = TimeText.help

    static func parse(_ text: String, flag: String, now: Int64 = StoreConfiguration.systemClock()) throws -> Int64 {
        guard let milliseconds = TimeText.parse(text, now: now) else {
            throw CommandFailure("\(flag) \"\(text)\" is not a time: expected \(help)")
        }
        return milliseconds
    }

    static func parseDay(_ text: String, flag: String) throws -> UTCDay {
        guard let day = UTCDay(iso: text.trimmingCharacters(in: .whitespaces)) else {
            throw CommandFailure("\(flag) \"\(text)\" is not a day: expected YYYY-MM-DD (UTC)")
        }
        return day
    }
}

/// An error for the user: printed as one line, exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
