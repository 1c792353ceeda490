import Foundation

/// The data of `pilot.extended`: the pilot runs `days` longer
/// (`schemas/pilot.extended.v1.json`).
public struct PilotExtended: Codable, Hashable, Sendable {
    /// 1 to 30.
    public var days: Int
    public var reason: String
    public var requestedBy: Person

    enum CodingKeys: String, CodingKey {
        case days, reason
        case requestedBy = "requested_by"
    }
}

/// The data of `pilot.cancelled`: the pilot stops now (`schemas/pilot.cancelled.v1.json`).
public struct PilotCancelled: Codable, Hashable, Sendable {
    public var reason: String
    public var cancelledBy: Person

    enum CodingKeys: String, CodingKey {
        case reason
        case cancelledBy = "cancelled_by"
    }
}

/// The data of `pilot.kickoff.reschedule`: move the kickoff to `start`, or to the next
/// free business slot (`schemas/pilot.kickoff.reschedule.v1.json`).
public struct KickoffReschedule: Codable, Hashable, Sendable {
    public var start: Date?
    public var reason: String?
    public var requestedBy: Person?

    enum CodingKeys: String, CodingKey {
        case start, reason
        case requestedBy = "requested_by"
    }
}

/// The data of `pilot.kickoff.cancel`: call the kickoff off
/// (`schemas/pilot.kickoff.cancel.v1.json`).
public struct KickoffCancel: Codable, Hashable, Sendable {
    public var reason: String?
    public var requestedBy: Person?

    enum CodingKeys: String, CodingKey {
        case reason
        case requestedBy = "requested_by"
    }
}
