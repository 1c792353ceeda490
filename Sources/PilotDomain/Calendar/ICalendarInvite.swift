import Foundation

/// A meeting request (`METHOD:REQUEST`) or its cancellation (`METHOD:CANCEL`) with one
/// event, written as RFC 5545 text: CRLF line ends, lines folded at 75 octets, a
/// `VTIMEZONE` for the zone the times are given in. Used for the kickoff and for check-in
/// calls.
public struct ICalendarInvite: Hashable, Sendable {
    /// The iTIP method (RFC 5546 §1.4): a request, or the organizer's cancellation.
    public enum Method: String, Hashable, Sendable {
        case request = "REQUEST"
        case cancel = "CANCEL"
    }

    /// Someone invited.
    public struct Attendee: Hashable, Sendable {
        /// `ROLE` (§3.2.16).
        public enum Role: String, Hashable, Sendable {
            case chair = "CHAIR"
            case required = "REQ-PARTICIPANT"
            case optional = "OPT-PARTICIPANT"
        }

        /// `PARTSTAT` (§3.2.12).
        public enum Status: String, Hashable, Sendable {
            case needsAction = "NEEDS-ACTION"
            case accepted = "ACCEPTED"
        }

        public var person: Person
        public var role: Role
        public var status: Status
        /// Whether a reply is expected.
        public var rsvp: Bool

        public init(_ person: Person, role: Role = .required, status: Status = .needsAction, rsvp: Bool = true) {
            self.person = person
            self.role = role
            self.status = status
            self.rsvp = rsvp
        }
    }

    /// A file the event refers to, e.g. the agreement sent in the same e-mail.
    public struct Attachment: Hashable, Sendable {
        /// A URI: `cid:…` for a part of the e-mail, or a relative or absolute URL.
        public var uri: String
        /// A media type such as `text/markdown`.
        public var mediaType: String

        public init(uri: String, mediaType: String) {
            self.uri = uri
            self.mediaType = mediaType
        }
    }

    /// The product identifier written as `PRODID`.
    public static let productID = "-//pilot-worker//Sales pilot//EN"

    /// Stable per meeting, so that a resent invite updates the first one.
    public var uid: String
    /// Raise when the meeting changes; 0 for the first invite. Calendars apply an update
    /// or a cancellation only when its SEQUENCE is higher than the one they hold
    /// (RFC 5545 §3.8.7.4, RFC 5546 §2.1.4).
    public var sequence: Int
    /// `REQUEST`, or `CANCEL` with `STATUS:CANCELLED`.
    public var method: Method = .request
    /// When the invite was made (`DTSTAMP`); pass the handled event's time, not the clock.
    public var stamp: Date
    public var start: Date
    public var end: Date
    /// The zone `DTSTART`/`DTEND` are written in: the lead's.
    public var timeZone: TimeZone
    public var summary: String
    /// Multi-line text; line breaks are kept.
    public var description: String
    public var location: String?
    public var organizer: Person
    public var attendees: [Attendee]
    public var attachments: [Attachment]

    public init(uid: String, sequence: Int = 0, stamp: Date, start: Date, end: Date, timeZone: TimeZone,
        summary: String, description: String, location: String? = nil, organizer: Person, attendees: [Attendee],
        attachments: [Attachment] = [])
    {
        self.uid = uid
        self.sequence = sequence
        self.stamp = stamp
        self.start = start
        self.end = end
        self.timeZone = timeZone
        self.summary = summary
        self.description = description
        self.location = location
        self.organizer = organizer
        self.attendees = attendees
        self.attachments = attachments
    }

    /// `<kind>-<thread>@pilot-worker`: the same for every rendering of one
    /// meeting, so a re-sent invite updates the first instead of adding a second.
    /// `kickoff`, or e.g. `checkin-day-12` for a check-in call.
    public static func uid(thread: String, kind: String) -> String {
        kind + "-" + thread + "@pilot-worker"
    }

    /// The `.ics` text.
    public func render() -> String {
        typealias T = ICalendarText
        var text = T.contentLine("BEGIN", "VCALENDAR")
        text += T.contentLine("PRODID", T.escapeText(Self.productID))
        text += T.contentLine("VERSION", "2.0")
        text += T.contentLine("CALSCALE", "GREGORIAN")
        text += T.contentLine("METHOD", method.rawValue)
        text += VTimeZone(timeZone, covering: start, end).lines
        text += T.contentLine("BEGIN", "VEVENT")
        text += T.contentLine("UID", T.escapeText(uid))
        text += T.contentLine("SEQUENCE", String(sequence))
        text += T.contentLine("DTSTAMP", ICalendarDate.utc(stamp))
        text += T.contentLine("DTSTART", [("TZID", timeZone.identifier)], ICalendarDate.local(start, in: timeZone))
        text += T.contentLine("DTEND", [("TZID", timeZone.identifier)], ICalendarDate.local(end, in: timeZone))
        text += T.contentLine("SUMMARY", T.escapeText(summary))
        text += T.contentLine("DESCRIPTION", T.escapeText(description))
        if let location { text += T.contentLine("LOCATION", T.escapeText(location)) }
        text += T.contentLine("ORGANIZER", [("CN", organizer.name)], T.mailto(organizer.email))
        for attendee in attendees {
            text += T.contentLine("ATTENDEE", [
                ("CN", attendee.person.name), ("ROLE", attendee.role.rawValue),
                ("PARTSTAT", attendee.status.rawValue), ("RSVP", attendee.rsvp ? "TRUE" : "FALSE"),
            ], T.mailto(attendee.person.email))
        }
        for attachment in attachments {
            text += T.contentLine("ATTACH", [("FMTTYPE", attachment.mediaType)], attachment.uri)
        }
        text += T.contentLine("STATUS", method == .cancel ? "CANCELLED" : "CONFIRMED")
        text += T.contentLine("TRANSP", "OPAQUE")
        text += T.contentLine("END", "VEVENT")
        text += T.contentLine("END", "VCALENDAR")
        return text
    }
}
