import Foundation

/// DATE-TIME values (RFC 5545 §3.3.5).
enum ICalendarDate {
    /// `20261125T090000Z`: UTC, for DTSTAMP.
    static func utc(_ instant: Date) -> String {
        basic(instant, offset: 0) + "Z"
    }

    /// `20261201T100000`: the wall clock in `timeZone`, for `DTSTART;TZID=…`.
    static func local(_ instant: Date, in timeZone: TimeZone) -> String {
        basic(instant, offset: timeZone.secondsFromGMT(for: instant))
    }

    /// `YYYYMMDDTHHMMSS` of `instant` shifted by `offset` seconds; fractions dropped.
    static func basic(_ instant: Date, offset: Int) -> String {
        let local = Int(instant.timeIntervalSince1970.rounded(.down)) + offset
        let days = Int((Double(local) / 86_400).rounded(.down))
        let second = local - days * 86_400
        let date = CalendarDate(daysSince1970: days)
        return NumberText.padded(date.year, 4) + NumberText.padded(date.month, 2) + NumberText.padded(date.day, 2)
            + "T" + NumberText.padded(second / 3_600, 2) + NumberText.padded(second / 60 % 60, 2)
            + NumberText.padded(second % 60, 2)
    }

    /// UTC-OFFSET (§3.3.14): `-0500`, `+0530`, `+0000`; seconds only when there are some.
    static func offset(_ seconds: Int) -> String {
        let magnitude = abs(seconds)
        var text = (seconds < 0 ? "-" : "+") + NumberText.padded(magnitude / 3_600, 2)
            + NumberText.padded(magnitude / 60 % 60, 2)
        if magnitude % 60 != 0 { text += NumberText.padded(magnitude % 60, 2) }
        return text
    }
}
