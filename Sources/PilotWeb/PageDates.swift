import Foundation
import Synchronization

/// Dates as the pages write them, in one time zone (the lead's on the buyer page, UTC on
/// the dashboard), with the zone's abbreviation so nobody has to guess.
///
/// Written by hand from calendar components: a `DateFormatter` costs about a millisecond
/// to make, more than the rest of a page, and is not safe to share across threads here.
struct PageDates {
    let timeZone: TimeZone
    private let calendar: Calendar

    static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    init(timeZone: TimeZone) {
        self.timeZone = timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    /// `Thu 26 Nov 2026, 10:00 EST`.
    func dateTime(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day, .weekday, .hour, .minute], from: date)
        let zone = Self.zoneName(timeZone, date)
        return Self.day(c) + ", " + Self.two(c.hour ?? 0) + ":" + Self.two(c.minute ?? 0) + " " + zone
    }

    /// `Thu 26 Nov 2026`.
    func day(_ date: Date) -> String {
        Self.day(calendar.dateComponents([.year, .month, .day, .weekday], from: date))
    }

    /// An RFC 3339 time from the store, or the text itself when it does not parse.
    func dateTime(_ text: String?) -> String {
        guard let text else { return "" }
        return PilotFacts.date(text).map(dateTime) ?? text
    }

    /// A `yyyy-MM-dd` calendar date plus `days`, written as a day (no zone: it is a date).
    static func calendarDay(_ text: String, plus days: Int = 0) -> String? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, let start = utc.calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])),
            let date = utc.calendar.date(byAdding: .day, value: days, to: start)
        else { return nil }
        return utc.day(date)
    }

    static let utc = PageDates(timeZone: TimeZone(identifier: "UTC")!)

    /// One formatter per zone, made once, used under a lock: only it names zones the way
    /// people write them (EST, CET), where `TimeZone.abbreviation` says GMT-5.
    private static let zoneFormatters = Mutex<[String: DateFormatter]>([:])

    private static func zoneName(_ zone: TimeZone, _ date: Date) -> String {
        zoneFormatters.withLock { formatters in
            let formatter = formatters[zone.identifier] ?? {
                let formatter = DateFormatter()
                formatter.locale = Locale(identifier: "en_US_POSIX")
                formatter.timeZone = zone
                formatter.dateFormat = "zzz"
                formatters[zone.identifier] = formatter
                return formatter
            }()
            return formatter.string(from: date)
        }
    }

    private static func day(_ c: DateComponents) -> String {
        let weekday = c.weekday.map { weekdays[($0 - 1) % 7] } ?? ""
        let month = c.month.map { months[($0 - 1) % 12] } ?? ""
        return "\(weekday) \(c.day ?? 0) \(month) \(c.year ?? 0)"
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
