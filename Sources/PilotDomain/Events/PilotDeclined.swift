import Foundation

/// The data of `pilot.declined` (`schemas/pilot.declined.v1.json`).
public struct PilotDeclined: Codable, Hashable, Sendable {
    public var declinedAt: Date
    /// Why, in words; copied into `deal.lost`.
    public var reason: String

    enum CodingKeys: String, CodingKey {
        case declinedAt = "declined_at"
        case reason
    }

    public init(declinedAt: Date, reason: String) {
        self.declinedAt = declinedAt
        self.reason = reason
    }
}
