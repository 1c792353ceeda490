import Foundation

/// Pilot days on the calendar: day 1 is the signed start date, in the lead's time zone.
public enum PilotCalendar {
    /// The calendar date of pilot day `day`.
    public static func date(ofDay day: Int, start: CalendarDate) -> CalendarDate {
        start.adding(days: day - 1)
    }

    /// From the start of the first day to the start of the day after the last,
    /// in `timeZone`: the instants that belong to `days`.
    public static func window(days: ClosedRange<Int>, start: CalendarDate, timeZone: TimeZone) -> Range<Date> {
        let from = startOfDay(date(ofDay: days.lowerBound, start: start), in: timeZone)
        let to = startOfDay(date(ofDay: days.upperBound + 1, start: start), in: timeZone)
        return from..<max(from, to)
    }

    /// Midnight of `date` in `timeZone`, or the first hour that exists when a
    /// clock change skips midnight.
    static func startOfDay(_ date: CalendarDate, in timeZone: TimeZone) -> Date {
        for minute in stride(from: 0, to: 24 * 60, by: 30) {
            if let instant = LocalDateTime(date: date, time: LocalTime(minuteOfDay: minute)).instant(in: timeZone) {
                return instant
            }
        }
        return Date(timeIntervalSince1970: Double(date.daysSince1970) * 86_400)
    }

    /// "4 December 2026": the day `instant` falls on in `timeZone`.
    static func longDate(_ instant: Date, in timeZone: TimeZone) -> String {
        EnglishDate.long(LocalDateTime(instant, in: timeZone).date)
    }
}
