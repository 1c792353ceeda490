import PilotDomain

/// What the daily tick remembers of a pilot from one day to the next, saved in the pilot's
/// state under `health`: the latest health score for the pages that show it (`score`,
/// `label`, `reasons`, `day`), and what the silence rules need to raise each alert once
/// per episode instead of once a day.
struct MonitoringMemory: Codable, Sendable, Equatable {
    /// An alert raised and not cleared yet.
    struct OpenAlert: Codable, Sendable, Equatable {
        var kind: String
        var severity: String
        /// The day it was raised.
        var since: Int
        /// The criterion's metric, for `criterion_at_risk`.
        var metric: String? = nil
    }

    var score: Int
    var label: String
    var reasons: [String]
    /// The tick day all of this is as of.
    var day: Int
    /// Metrics days + issues + resolved issues + feedback responses stored at that tick:
    /// when the count grows from one tick to the next, the lead was active that day.
    var leadRecords: Int
    /// The last pilot day with lead activity; 0 for none since the signature.
    var lastActiveDay: Int
    var openAlerts: [OpenAlert]
    /// The day the feedback request was sent, if it was.
    var feedbackRequestedDay: Int?

    enum CodingKeys: String, CodingKey {
        case score, label, reasons, day
        case leadRecords = "lead_records"
        case lastActiveDay = "last_active_day"
        case openAlerts = "open_alerts"
        case feedbackRequestedDay = "feedback_requested_day"
    }

    /// This memory with `health` as the latest score.
    func recording(_ health: PilotHealth) -> MonitoringMemory {
        var copy = self
        copy.score = health.score.score
        copy.label = health.score.label.rawValue
        copy.reasons = health.reasons.map(\.text)
        copy.day = health.score.day
        return copy
    }
}
