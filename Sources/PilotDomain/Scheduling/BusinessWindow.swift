/// Working hours checked and parsed: a start and an end on the same day,
/// `start < end`, in the lead's time zone.
public struct BusinessWindow: Hashable, Sendable, CustomStringConvertible {
    public let start: LocalTime
    public let end: LocalTime

    /// 09:00 to 17:00: what the schema says to assume when the lead gave none.
    public static let standard = BusinessWindow(uncheckedStart: LocalTime(minuteOfDay: 9 * 60),
        end: LocalTime(minuteOfDay: 17 * 60))

    /// `nil` unless `start < end`.
    public init?(start: LocalTime, end: LocalTime) {
        guard start < end else { return nil }
        self.start = start
        self.end = end
    }

    /// `nil` unless both parse as `HH:MM` and `start < end`.
    public init?(start: String, end: String) {
        guard let start = LocalTime(start), let end = LocalTime(end) else { return nil }
        self.init(start: start, end: end)
    }

    private init(uncheckedStart start: LocalTime, end: LocalTime) {
        self.start = start
        self.end = end
    }

    /// The lead's hours when they are usable for a meeting of `minutes`, else the
    /// standard 09:00–17:00. The schema cannot check that `end` is after `start`,
    /// and a lead with unusable hours should still get an invite, not a dead letter.
    public static func resolved(_ hours: BusinessHours?, fitting minutes: Int = 30) -> BusinessWindow {
        guard let hours, let window = BusinessWindow(start: hours.start, end: hours.end),
            window.end.minuteOfDay - window.start.minuteOfDay >= minutes
        else { return standard }
        return window
    }

    /// "09:00–17:00".
    public var description: String { "\(start)–\(end)" }
}
