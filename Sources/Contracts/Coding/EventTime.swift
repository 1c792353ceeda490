import Foundation

/// Parses the RFC 3339 timestamps events carry, with the same grammar the `date-time`
/// format check and the `Date` coding use.
public enum EventTime {
    public static func date(_ text: String) -> Date? {
        RFC3339.date(text)
    }
}
