import Foundation

/// One timestamped line on standard error, for long-running commands.
enum Log {
    static func line(_ message: String) {
        let now = Date()
        let stamp = ISO8601DateFormatter.string(from: now, timeZone: TimeZone(identifier: "UTC") ?? .current, formatOptions: [.withInternetDateTime])
        Terminal.note("\(stamp) \(message)")
    }
}
