import Foundation

/// A `VTIMEZONE` for a zone around an event, built from Foundation's
/// transition data so that the invite needs no tz database on the reader's side.
///
/// It holds the observance in force at the event's start, every one that
/// begins before its end, and the next one after (so a reader that needs the
/// other half of the year has it), each as a one-off onset with no RRULE:
/// correct for the event whatever the zone's rules do in other years. A zone
/// with no transitions within a year of the event gets one STANDARD observance.
struct VTimeZone {
    struct Observance: Equatable {
        var daylight: Bool
        /// The onset instant.
        var onset: Date
        var offsetFrom: Int
        var offsetTo: Int
    }

    let identifier: String
    let observances: [Observance]

    init(_ timeZone: TimeZone, covering start: Date, _ end: Date) {
        identifier = timeZone.identifier
        var transitions: [Date] = []
        var cursor = start.addingTimeInterval(-366 * 86_400)
        let horizon = end.addingTimeInterval(366 * 86_400)
        // A zone has at most a few transitions a year; the bound only guards against a surprise.
        for _ in 0..<16 {
            guard let next = timeZone.nextDaylightSavingTimeTransition(after: cursor), next <= horizon else { break }
            transitions.append(next)
            cursor = next
        }
        let lastBefore = transitions.lastIndex { $0 <= start }
        let firstAfterEnd = transitions.firstIndex { $0 > end }
        var chosen: [Date] = []
        if let lastBefore { chosen.append(transitions[lastBefore]) }
        chosen += transitions.filter { $0 > start && $0 <= end }
        if let firstAfterEnd { chosen.append(transitions[firstAfterEnd]) }

        if lastBefore == nil {
            // No onset known for the offset at the start: state it as in force since 1970.
            let offset = timeZone.secondsFromGMT(for: start)
            observances = [Observance(daylight: timeZone.isDaylightSavingTime(for: start),
                onset: Date(timeIntervalSince1970: Double(-offset)), offsetFrom: offset, offsetTo: offset)]
                + chosen.map { Self.observance(at: $0, in: timeZone) }
        } else {
            observances = chosen.map { Self.observance(at: $0, in: timeZone) }
        }
    }

    static func observance(at onset: Date, in timeZone: TimeZone) -> Observance {
        Observance(daylight: timeZone.isDaylightSavingTime(for: onset), onset: onset,
            offsetFrom: timeZone.secondsFromGMT(for: onset.addingTimeInterval(-1)),
            offsetTo: timeZone.secondsFromGMT(for: onset))
    }

    /// The component's content lines.
    var lines: String {
        var text = ICalendarText.contentLine("BEGIN", "VTIMEZONE")
        text += ICalendarText.contentLine("TZID", ICalendarText.escapeText(identifier))
        for observance in observances {
            let kind = observance.daylight ? "DAYLIGHT" : "STANDARD"
            text += ICalendarText.contentLine("BEGIN", kind)
            // An onset is written in the local time in force before it (§3.6.5).
            text += ICalendarText.contentLine("DTSTART",
                ICalendarDate.basic(observance.onset, offset: observance.offsetFrom))
            text += ICalendarText.contentLine("TZOFFSETFROM", ICalendarDate.offset(observance.offsetFrom))
            text += ICalendarText.contentLine("TZOFFSETTO", ICalendarDate.offset(observance.offsetTo))
            text += ICalendarText.contentLine("END", kind)
        }
        return text + ICalendarText.contentLine("END", "VTIMEZONE")
    }
}
