/// A calendar day in UTC, as days since 1970-01-01. Pure arithmetic (no calendar, no clock), after
/// Howard Hinnant's `days_from_civil` / `civil_from_days`.
public struct UTCDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    public static let millisecondsPerDay: Int64 = 86_400_000

    public var daysSinceEpoch: Int64

    public init(daysSinceEpoch: Int64) {
        self.daysSinceEpoch = daysSinceEpoch
    }

    public init(containing epochMilliseconds: Int64) {
        let quotient = epochMilliseconds / Self.millisecondsPerDay
        daysSinceEpoch = (epochMilliseconds % Self.millisecondsPerDay < 0) ? quotient - 1 : quotient
    }

    public init(year: Int64, month: Int64, day: Int64) {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        daysSinceEpoch = era * 146_097 + dayOfEra - 719_468
    }

    /// Parses `YYYY-MM-DD`; nil when it is not a real date.
    public init?(iso text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int64(parts[0]), let month = Int64(parts[1]), let day = Int64(parts[2]),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        self.init(year: year, month: month, day: day)
        guard self.components == (year, month, day) else { return nil }  // rejects 2026-02-30
    }

    public var components: (year: Int64, month: Int64, day: Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    public var startMilliseconds: Int64 { daysSinceEpoch * Self.millisecondsPerDay }

    /// `YYYY-MM-DD`. Years 0–9999 are written digit by digit (the store writes a day for every
    /// usage row it recomputes, and interpolating padded strings took ~2,800 instructions).
    public var description: String {
        let (year, month, day) = components
        guard (0...9999).contains(year) else {
            func pad(_ value: Int64, _ width: Int) -> String {
                let digits = String(value)
                return String(repeating: "0", count: max(0, width - digits.count)) + digits
            }
            return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
        }
        return String(unsafeUninitializedCapacity: 10) { text in
            func digit(_ value: Int64) -> UInt8 { UInt8(ascii: "0") + UInt8(value % 10) }
            text[0] = digit(year / 1000)
            text[1] = digit(year / 100)
            text[2] = digit(year / 10)
            text[3] = digit(year)
            text[4] = UInt8(ascii: "-")
            text[5] = digit(month / 10)
            text[6] = digit(month)
            text[7] = UInt8(ascii: "-")
            text[8] = digit(day / 10)
            text[9] = digit(day)
            return 10
        }
    }

    public static func < (lhs: UTCDay, rhs: UTCDay) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }
}
