import Foundation

/// Picks the kickoff meeting's time: the first slot on the half-hour grid, on a
/// weekday (Monday to Friday), inside the lead's business hours in the lead's
/// time zone, at or after `preferredStart`, and at least `leadBusinessDays`
/// business days after now.
///
/// Lead time counts business days only: from a weekday, one business day is
/// the same clock time on the next weekday (Friday 16:00 → Monday 16:00); a
/// weekend counts from Monday 00:00 (Saturday → Tuesday), so the lead always
/// has a working day to see the invite. Everything is computed on the lead's
/// wall clock and only then turned into instants, so a daylight saving change
/// moves the instant, never the 10:00 the lead sees; a wall time that a change
/// skips is not proposed.
public struct KickoffScheduler: Hashable, Sendable {
    /// The lead's working hours.
    public var businessHours: BusinessWindow
    /// The earliest time of day to propose: meetings first thing in the morning
    /// collide with stand-ups, so 10:00 rather than the start of business.
    public var preferredStart: LocalTime
    /// Meeting length in minutes.
    public var durationMinutes: Int
    /// Notice, in business days.
    public var leadBusinessDays: Int

    /// The default preferred start, 10:00.
    public static let defaultPreferredStart = LocalTime(minuteOfDay: 10 * 60)

    public init(businessHours: BusinessWindow = .standard, preferredStart: LocalTime = defaultPreferredStart,
        durationMinutes: Int = 30, leadBusinessDays: Int = 1)
    {
        precondition(durationMinutes > 0 && durationMinutes < 1_440, "meeting length out of range")
        precondition(leadBusinessDays >= 0, "negative lead time")
        self.businessHours = businessHours
        self.preferredStart = preferredStart
        self.durationMinutes = durationMinutes
        self.leadBusinessDays = leadBusinessDays
    }

    /// A scheduler for `lead`'s hours (09:00–17:00 when absent or unusable).
    public init(lead: Lead, preferredStart: LocalTime = defaultPreferredStart, durationMinutes: Int = 30,
        leadBusinessDays: Int = 1)
    {
        self.init(businessHours: .resolved(lead.businessHours, fitting: durationMinutes),
            preferredStart: preferredStart, durationMinutes: durationMinutes, leadBusinessDays: leadBusinessDays)
    }

    /// The slot for a request handled at `now`, in `timeZone`.
    public func slot(after now: Date, in timeZone: TimeZone) -> KickoffSlot {
        let earliest = earliestStart(after: LocalDateTime(now, in: timeZone))
        let times = candidateTimes
        // A window shorter than the meeting (possible only when built by hand) still gets its opening time.
        let windowFits = businessHours.end.minuteOfDay - businessHours.start.minuteOfDay >= durationMinutes
        var date = earliest.date
        // Four weeks always reach a weekday with a slot; the loop bound only guards against a surprise.
        for _ in 0..<28 {
            if date.isWeekday {
                for time in times where date > earliest.date || time >= earliest.time {
                    guard let start = LocalDateTime(date: date, time: time).instant(in: timeZone), start >= now
                    else { continue }
                    let end = start.addingTimeInterval(Double(durationMinutes * 60))
                    let localEnd = LocalDateTime(end, in: timeZone)
                    guard !windowFits || (localEnd.date == date && localEnd.time <= businessHours.end) else { continue }
                    return KickoffSlot(start: start, end: end, timeZone: timeZone)
                }
            }
            date = date.adding(days: 1)
        }
        // Unreachable with a valid window; propose the earliest moment rather than fail.
        let start = earliest.instant(in: timeZone) ?? now
        return KickoffSlot(start: start, end: start.addingTimeInterval(Double(durationMinutes * 60)),
            timeZone: timeZone)
    }

    /// `local` moved past the weekend, then `leadBusinessDays` weekdays on.
    func earliestStart(after local: LocalDateTime) -> LocalDateTime {
        var earliest = local
        if !earliest.date.isWeekday {
            while !earliest.date.isWeekday { earliest.date = earliest.date.adding(days: 1) }
            earliest.time = LocalTime(minuteOfDay: 0)
        }
        for _ in 0..<leadBusinessDays {
            repeat { earliest.date = earliest.date.adding(days: 1) } while !earliest.date.isWeekday
        }
        return earliest
    }

    /// Start times on the :00/:30 grid from `preferredStart` on that end inside
    /// business hours. When the preferred start leaves no room (hours ending at
    /// 10:00, say), the grid starts at the start of business instead, and when
    /// even that has no half-hour that fits, at the start of business itself.
    var candidateTimes: [LocalTime] {
        func grid(from first: Int) -> [LocalTime] {
            var minute = (first + 29) / 30 * 30
            var times: [LocalTime] = []
            while minute + durationMinutes <= businessHours.end.minuteOfDay, minute < 1_440 {
                times.append(LocalTime(minuteOfDay: minute))
                minute += 30
            }
            return times
        }
        let preferred = grid(from: max(preferredStart.minuteOfDay, businessHours.start.minuteOfDay))
        if !preferred.isEmpty { return preferred }
        let fromOpening = grid(from: businessHours.start.minuteOfDay)
        return fromOpening.isEmpty ? [businessHours.start] : fromOpening
    }
}
