import Foundation

/// The `Date:` header format (RFC 5322 §3.3), in UTC: `Wed, 25 Nov 2026 09:00:00 +0000`.
enum RFC5322Date {
    static func format(_ instant: Date) -> String {
        let whole = Int(instant.timeIntervalSince1970.rounded(.down))
        let days = Int((Double(whole) / 86_400).rounded(.down))
        let second = whole - days * 86_400
        let date = CalendarDate(daysSince1970: days)
        return EnglishDate.shortWeekday(date) + ", " + String(date.day) + " " + EnglishDate.shortMonth(date) + " "
            + NumberText.padded(date.year, 4) + " " + NumberText.padded(second / 3_600, 2) + ":"
            + NumberText.padded(second / 60 % 60, 2) + ":" + NumberText.padded(second % 60, 2) + " +0000"
    }
}
