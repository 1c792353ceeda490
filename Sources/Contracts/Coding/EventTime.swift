import Foundation

/// RFC 3339 timestamps as events carry them: one parser and one formatter for the whole
/// project, with the grammar the `date-time` format check and the `Date` coding use.
public enum EventTime {
    public static func date(_ text: String) -> Date? {
        RFC3339.date(text)
    }

    /// `2026-11-25T09:00:00.123456Z`: UTC, with the fraction to the microsecond when there
    /// is one (log lines).
    public static func preciseString(_ date: Date) -> String {
        RFC3339.format(date) ?? string(date)
    }

    /// `2026-11-25T09:00:00Z`: UTC, whole seconds (the fraction is dropped).
    public static func string(_ date: Date) -> String {
        RFC3339.format(Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))) ?? "1970-01-01T00:00:00Z"
    }
}
