import Foundation

/// The data of `pilot.signed`: who signed, when, how, and what changed in
/// negotiation (`schemas/pilot.signed.v1.json`).
public struct PilotSigned: Codable, Hashable, Sendable {
    /// How the agreement was signed.
    public enum Method: String, Codable, Hashable, Sendable {
        case docusign
        case email
    }

    public var signedAt: Date
    public var signedBy: Person
    public var method: Method
    /// Day 1 of the pilot, in the lead's time zone.
    public var startDate: CalendarDate
    /// Only what changed; `nil` when the proposal was signed as it was.
    public var amendments: Amendments?

    enum CodingKeys: String, CodingKey {
        case signedAt = "signed_at"
        case signedBy = "signed_by"
        case method
        case startDate = "start_date"
        case amendments
    }

    public init(signedAt: Date, signedBy: Person, method: Method, startDate: CalendarDate,
        amendments: Amendments? = nil)
    {
        self.signedAt = signedAt
        self.signedBy = signedBy
        self.method = method
        self.startDate = startDate
        self.amendments = amendments
    }
}

/// Terms changed during negotiation. A field given replaces the proposed one
/// whole (`use_cases` replaces all use cases, `criteria` all criteria).
public struct Amendments: Codable, Hashable, Sendable {
    public var durationDays: Int?
    public var useCases: [UseCase]?
    public var supportLevel: SupportLevel?
    public var pricing: Pricing?
    public var criteria: [Criterion]?

    enum CodingKeys: String, CodingKey {
        case durationDays = "duration_days"
        case useCases = "use_cases"
        case supportLevel = "support_level"
        case pricing, criteria
    }

    public init(durationDays: Int? = nil, useCases: [UseCase]? = nil, supportLevel: SupportLevel? = nil,
        pricing: Pricing? = nil, criteria: [Criterion]? = nil)
    {
        self.durationDays = durationDays
        self.useCases = useCases
        self.supportLevel = supportLevel
        self.pricing = pricing
        self.criteria = criteria
    }

    /// True when no field is set (the schema forbids that, but a caller may build one).
    public var isEmpty: Bool {
        durationDays == nil && useCases == nil && supportLevel == nil && pricing == nil && criteria == nil
    }
}
