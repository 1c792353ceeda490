import Foundation
import PilotDomain

/// What the worker remembers of a pilot between stages, stored as the pilot record's
/// JSON state. Every field a later stage needs is here, so no stage re-derives what an
/// earlier one decided (the kickoff slot, the proposed start date).
struct PilotState: Codable, Sendable {
    var request: PilotRequest
    var criteria: [Criterion]
    /// The `time` of `pilot.requested`: the "now" every document of the preparation is
    /// computed from, so a redelivery rewrites byte-identical files.
    var requestedAt: Date
    var proposedStartDate: CalendarDate
    var agreementPath: String
    var kickoffStart: Date?
    var kickoffEnd: Date?
    var signedAt: Date?
    var signedBy: Person?
    var startDate: CalendarDate?
    var durationDays: Int?
    /// The `pilot.signed` event id, to tell a redelivered signature from a second one.
    var signatureEventID: String?
    var declinedReason: String?
    /// The kickoff invite's SEQUENCE; nil until the kickoff stage has sent the invite.
    var kickoffSequence: Int?
    /// True after `pilot.kickoff.cancel`, until a reschedule invites again.
    var kickoffCancelled: Bool?
    /// Signature reminders sent.
    var signatureReminders: Int?
    /// When the offer lapsed without a signature.
    var expiredAt: Date?
    /// How many times, and by how many days in all, the pilot was extended.
    var extensions: Int?
    var extendedDays: Int?
    var cancelledAt: Date?
    /// The day whose tick asked for the results: from then on the pilot can no longer
    /// change length or be cancelled.
    var resultsRequestedDay: Int?
    /// The pilot days the results judged: its length, or fewer when an operator closed it
    /// early. The buyer's page says so beside the results.
    var resultsDays: Int?
    /// Every change, oldest first.
    var history: [HistoryEntry]?
    /// The daily tick's memory: the latest health score and the silence rules' state.
    var health: MonitoringMemory?

    enum CodingKeys: String, CodingKey {
        case request, criteria
        case requestedAt = "requested_at"
        case proposedStartDate = "proposed_start_date"
        case agreementPath = "agreement_path"
        case kickoffStart = "kickoff_start"
        case kickoffEnd = "kickoff_end"
        case signedAt = "signed_at"
        case signedBy = "signed_by"
        case startDate = "start_date"
        case durationDays = "duration_days"
        case signatureEventID = "signature_event_id"
        case declinedReason = "declined_reason"
        case kickoffSequence = "kickoff_sequence"
        case kickoffCancelled = "kickoff_cancelled"
        case signatureReminders = "signature_reminders"
        case expiredAt = "expired_at"
        case extensions
        case extendedDays = "extended_days"
        case cancelledAt = "cancelled_at"
        case resultsRequestedDay = "results_requested_day"
        case resultsDays = "results_days"
        case history
        case health
    }
}

/// The pilot record's `status` values, in lifecycle order.
enum PilotStatus: String {
    case agreementSent = "agreement_sent"
    case kickoffScheduled = "kickoff_scheduled"
    case active
    case declined
    case resultsCompiled = "results_compiled"
    case completed
    case lost
    /// No signature within `PILOT_SIGNATURE_EXPIRY_DAYS` of the kickoff invite.
    case expired
    /// Stopped by `pilot.cancelled`.
    case cancelled

    /// The deal ended before the pilot ran its course: timers still in flight find
    /// nothing to do.
    static let endedEarly: Set<String> = [declined.rawValue, expired.rawValue, cancelled.rawValue]
    /// The results are compiled: the pilot ran its course, or an operator closed it early
    /// with `pilot.results.requested`.
    static let judged: Set<String> = [resultsCompiled.rawValue, completed.rawValue, lost.rawValue]
}
