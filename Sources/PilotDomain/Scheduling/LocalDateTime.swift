import Foundation

/// A wall-clock date and time in some time zone, minute precision.
public struct LocalDateTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var date: CalendarDate
    public var time: LocalTime

    public init(date: CalendarDate, time: LocalTime) {
        self.date = date
        self.time = time
    }

    /// What a clock in `timeZone` shows at `instant` (seconds dropped).
    public init(_ instant: Date, in timeZone: TimeZone) {
        let offset = timeZone.secondsFromGMT(for: instant)
        let local = Int((instant.timeIntervalSince1970).rounded(.down)) + offset
        let days = Int((Double(local) / 86_400).rounded(.down))
        let secondOfDay = local - days * 86_400
        date = CalendarDate(daysSince1970: days)
        time = LocalTime(minuteOfDay: secondOfDay / 60)
    }

    /// The instant a clock in `timeZone` shows this time, or `nil` when it never
    /// does (skipped by a daylight saving change). When the time occurs twice,
    /// the earlier instant.
    public func instant(in timeZone: TimeZone) -> Date? {
        // Wall time as if it were UTC, then try the offsets in force around it.
        let wall = Double(date.daysSince1970 * 86_400 + time.minuteOfDay * 60)
        var candidates: [Date] = []
        for probe in [wall - 86_400, wall, wall + 86_400] {
            let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: probe))
            let instant = Date(timeIntervalSince1970: wall - Double(offset))
            if LocalDateTime(instant, in: timeZone) == self, !candidates.contains(instant) {
                candidates.append(instant)
            }
        }
        return candidates.min()
    }

    /// `YYYY-MM-DD HH:MM`.
    public var description: String { date.iso + " " + time.description }

    public static func < (lhs: LocalDateTime, rhs: LocalDateTime) -> Bool {
        (lhs.date, lhs.time) < (rhs.date, rhs.time)
    }
}
