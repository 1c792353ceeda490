import Foundation

/// Dates as the pages write them, in one time zone (the lead's on the buyer page, UTC on
/// the dashboard), with the zone's abbreviation so nobody has to guess.
struct PageDates {
    let timeZone: TimeZone
    private let dateTime: DateFormatter
    private let day: DateFormatter

    init(timeZone: TimeZone) {
        self.timeZone = timeZone
        dateTime = DateFormatter()
        dateTime.locale = Locale(identifier: "en_US_POSIX")
        dateTime.timeZone = timeZone
        dateTime.dateFormat = "EEE d MMM yyyy, HH:mm zzz"
        day = DateFormatter()
        day.locale = Locale(identifier: "en_US_POSIX")
        day.timeZone = timeZone
        day.dateFormat = "EEE d MMM yyyy"
    }

    func dateTime(_ date: Date) -> String { dateTime.string(from: date) }

    func day(_ date: Date) -> String { day.string(from: date) }

    /// An RFC 3339 time from the store, or the text itself when it does not parse.
    func dateTime(_ text: String?) -> String {
        guard let text else { return "" }
        return PilotFacts.date(text).map(dateTime) ?? text
    }

    /// A `yyyy-MM-dd` calendar date plus `days`, written as a day (no zone: it is a date).
    static func calendarDay(_ text: String, plus days: Int = 0) -> String? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3,
            let start = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])),
            let date = calendar.date(byAdding: .day, value: days, to: start)
        else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = calendar.timeZone
        formatter.dateFormat = "EEE d MMM yyyy"
        return formatter.string(from: date)
    }
}
