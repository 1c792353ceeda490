/// Dates in English words, built from tables rather than a locale, so that the
/// same input gives the same bytes on every host (documents are rewritten on
/// redelivery and must not change).
public enum EnglishDate {
    static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December"]
    static let weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    /// "1 December 2026".
    public static func long(_ date: CalendarDate) -> String {
        "\(date.day) \(months[date.month - 1]) \(date.year)"
    }

    /// "Tuesday, 1 December 2026".
    public static func withWeekday(_ date: CalendarDate) -> String {
        weekdays[date.isoWeekday - 1] + ", " + long(date)
    }

    /// "Tue".
    public static func shortWeekday(_ date: CalendarDate) -> String {
        String(weekdays[date.isoWeekday - 1].prefix(3))
    }

    /// "Dec".
    public static func shortMonth(_ date: CalendarDate) -> String {
        String(months[date.month - 1].prefix(3))
    }

    /// "UTC-05:00", "UTC+05:30", "UTC" for a zone offset in seconds east of UTC.
    public static func utcOffset(_ seconds: Int) -> String {
        guard seconds != 0 else { return "UTC" }
        let minutes = abs(seconds) / 60
        return "UTC" + (seconds < 0 ? "-" : "+") + NumberText.padded(minutes / 60, 2) + ":"
            + NumberText.padded(minutes % 60, 2)
    }
}
