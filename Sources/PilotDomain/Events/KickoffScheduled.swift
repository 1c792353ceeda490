import Foundation

/// The data of `pilot.kickoff.scheduled`: the proposed meeting and the files
/// written for it (`schemas/pilot.kickoff.scheduled.v1.json`).
public struct KickoffScheduled: Codable, Hashable, Sendable {
    /// Written as RFC 3339 in UTC.
    public var start: Date
    /// 30 minutes after `start`.
    public var end: Date
    /// The lead's IANA time zone the meeting was planned in.
    public var timezone: String
    /// E-mail addresses, unique, at least one.
    public var attendees: [String]
    public var icsPath: String
    public var emlPath: String
    /// The invite's SEQUENCE: 0 for the first, one higher for each move.
    public var sequence: Int?

    enum CodingKeys: String, CodingKey {
        case start, end, timezone, attendees, sequence
        case icsPath = "ics_path"
        case emlPath = "eml_path"
    }

    public init(start: Date, end: Date, timezone: String, attendees: [String], icsPath: String, emlPath: String,
        sequence: Int? = nil)
    {
        self.sequence = sequence
        self.start = start
        self.end = end
        self.timezone = timezone
        self.attendees = attendees
        self.icsPath = icsPath
        self.emlPath = emlPath
    }
}
