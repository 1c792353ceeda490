/// The data of `pilot.agreement.generated`: where the agreement is, the
/// criteria it states, and what the kickoff needs from the request
/// (`schemas/pilot.agreement.generated.v1.json`).
public struct AgreementGenerated: Codable, Hashable, Sendable {
    /// `threads/sales/<thread>/pilot-agreement-custom.md`, relative to the workspace.
    public var agreementPath: String
    /// At least one.
    public var criteria: [Criterion]
    /// `terms.duration_days`, or 30.
    public var durationDays: Int
    public var lead: Lead
    public var founder: Person
    public var terms: Terms

    enum CodingKeys: String, CodingKey {
        case agreementPath = "agreement_path"
        case criteria
        case durationDays = "duration_days"
        case lead, founder, terms
    }

    public init(agreementPath: String, criteria: [Criterion], durationDays: Int, lead: Lead, founder: Person,
        terms: Terms)
    {
        self.agreementPath = agreementPath
        self.criteria = criteria
        self.durationDays = durationDays
        self.lead = lead
        self.founder = founder
        self.terms = terms
    }

    /// The data for a request whose agreement was written to `agreementPath`.
    public init(request: PilotRequest, criteria: [Criterion], agreementPath: String) {
        self.init(agreementPath: agreementPath, criteria: criteria,
            durationDays: request.terms.resolvedDurationDays, lead: request.lead, founder: request.founder,
            terms: request.terms)
    }
}
