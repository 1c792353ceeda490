import Foundation
import PilotDomain
import PilotStageAPI

/// One change to a pilot, kept in its state for `pilotctl pilot show` and the pages:
/// who, when, what and why.
struct HistoryEntry: Codable, Sendable, Equatable {
    /// The event's time.
    var at: Date
    /// `signed`, `declined`, `expired`, `extended`, `cancelled`, `kickoff_rescheduled`, `kickoff_cancelled`.
    var change: String
    /// Nil for the worker's own decisions (an expiry).
    var by: Person?
    var what: String
    var why: String?
    var eventID: String

    enum CodingKeys: String, CodingKey {
        case at, change, by, what, why
        case eventID = "event_id"
    }
}

extension PilotState {
    /// Appends a change made by `event`, at the event's time unless `at` says otherwise
    /// (a timer's `time` is when it was scheduled, not when it fired).
    mutating func record(_ change: String, by: Person?, what: String, why: String? = nil, event: CloudEvent, at: Date? = nil) throws {
        let entry = HistoryEntry(
            at: try at ?? StageSupport.time(of: event), change: change, by: by, what: what, why: why, eventID: event.id)
        history = (history ?? []) + [entry]
    }
}
