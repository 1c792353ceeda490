import Foundation

/// A proposed meeting: the instants, and what the lead's clock shows.
public struct KickoffSlot: Hashable, Sendable {
    public var start: Date
    public var end: Date
    /// The lead's zone the slot was chosen in.
    public var timeZone: TimeZone
    /// Wall-clock start in `timeZone`.
    public var localStart: LocalDateTime
    /// Wall-clock end in `timeZone`.
    public var localEnd: LocalDateTime

    public init(start: Date, end: Date, timeZone: TimeZone) {
        self.start = start
        self.end = end
        self.timeZone = timeZone
        localStart = LocalDateTime(start, in: timeZone)
        localEnd = LocalDateTime(end, in: timeZone)
    }

    /// The lead's offset from UTC at the start, seconds east.
    public var utcOffsetSeconds: Int { timeZone.secondsFromGMT(for: start) }

    /// Length in whole minutes.
    public var minutes: Int { Int((end.timeIntervalSince(start) / 60).rounded()) }

    /// "Tuesday, 1 December 2026, 10:00–10:30 (America/New_York, UTC-05:00)".
    public var localDescription: String {
        EnglishDate.withWeekday(localStart.date) + ", \(localStart.time)–\(localEnd.time) ("
            + timeZone.identifier + ", " + EnglishDate.utcOffset(utcOffsetSeconds) + ")"
    }

    /// "Tue 1 Dec, 10:00 America/New_York": for subjects.
    public var shortDescription: String {
        EnglishDate.shortWeekday(localStart.date) + " \(localStart.date.day) " + EnglishDate.shortMonth(localStart.date)
            + ", \(localStart.time) " + timeZone.identifier
    }
}
