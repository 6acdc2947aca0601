/// Times as users type them, for `--since` / `--until` and the API's `since` / `until`: epoch
/// milliseconds, an ISO 8601 date or date-time (UTC unless it has an offset), or an age such as
/// `90m`, `36h`, `7d`, `2w` (that long before `now`).
public enum TimeText {
    public static let help = "epoch ms, 2026-10-01, 2026-10-01T12:00:00Z, or an age like 36h or 7d"

    /// Epoch milliseconds, or nil when `text` is none of the accepted forms.
    public static func parse(_ text: String, now: Int64) -> Int64? {
        let trimmed = text.trimmingCharacters(of: " ")
        if let milliseconds = Int64(trimmed), trimmed.count >= 10 { return milliseconds }
        if let last = trimmed.last, let amount = Int64(trimmed.dropLast()), amount >= 0, amount < 1_000_000 {
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
        return parseDateTime(trimmed)
    }

    /// `YYYY-MM-DD[T ]HH:MM[:SS[.fff…]]` then `Z`, `±HH:MM`, `±HHMM` or nothing (UTC).
    static func parseDateTime(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 16, bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "),
              let day = UTCDay(iso: String(decoding: bytes[0..<10], as: UTF8.self)) else { return nil }
        var index = 11
        func digits(_ count: Int) -> Int64? {
            guard index + count <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[index..<(index + count)] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int64(byte - 0x30)
            }
            index += count
            return value
        }
        func skip(_ character: Character) -> Bool {
            guard index < bytes.count, bytes[index] == character.asciiValue else { return false }
            index += 1
            return true
        }
        guard let hour = digits(2), hour < 24, skip(":"), let minute = digits(2), minute < 60 else { return nil }
        var milliseconds = (hour * 60 + minute) * 60_000
        if skip(":") {
            guard let second = digits(2), second < 61 else { return nil }
            milliseconds += second * 1000
            if skip(".") {
                var scale: Int64 = 100
                var fraction: Int64 = 0
                var seen = 0
                while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                    fraction += Int64(bytes[index] - 0x30) * scale
                    scale /= 10
                    index += 1
                    seen += 1
                }
                guard seen > 0 else { return nil }
                milliseconds += fraction
            }
        }
        var offset: Int64 = 0
        if skip("Z") || index == bytes.count {
            offset = 0
        } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let sign: Int64 = bytes[index] == UInt8(ascii: "+") ? 1 : -1
            index += 1
            guard let hours = digits(2), hours < 24 else { return nil }
            _ = skip(":")
            guard let minutes = digits(2), minutes < 60 else { return nil }
            offset = sign * (hours * 60 + minutes) * 60_000
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        return day.startMilliseconds + milliseconds - offset
    }
}

extension String {
    /// Without leading and trailing `character`s.
    func trimmingCharacters(of character: Character) -> String {
        trimming { $0 == character }
    }

    /// Without the leading and trailing characters `isTrimmed` picks.
    func trimming(where isTrimmed: (Character) -> Bool) -> String {
        guard let first = firstIndex(where: { !isTrimmed($0) }), let last = lastIndex(where: { !isTrimmed($0) }) else { return "" }
        return String(self[first...last])
    }
}
