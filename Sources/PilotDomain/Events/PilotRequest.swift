/// The data of `pilot.requested`: the lead, the founder, the qualification
/// answers and the proposed terms (`schemas/pilot.requested.v1.json`).
public struct PilotRequest: Codable, Hashable, Sendable {
    public var lead: Lead
    /// Owns the pilot: attends the kickoff and sends the e-mails.
    public var founder: Person
    public var qualification: Qualification
    public var terms: Terms

    public init(lead: Lead, founder: Person, qualification: Qualification, terms: Terms) {
        self.lead = lead
        self.founder = founder
        self.qualification = qualification
        self.terms = terms
    }
}

/// Answers from the qualification call; the success criteria are derived from them.
public struct Qualification: Codable, Hashable, Sendable {
    /// In the lead's own words; quoted in the agreement.
    public var painPoints: [String]
    public var technicalTargets: TechnicalTargets
    /// Systems the product must integrate with, e.g. "Snowflake".
    public var integrations: [String]?
    public var baseline: Baseline
    /// Expected reduction of the baseline hours, percent.
    public var expectedImprovementPct: Double?
    /// Target Net Promoter Score, -100 to 100.
    public var satisfactionTargetNPS: Double?
    /// Target return on investment, percent.
    public var roiTargetPct: Double?

    enum CodingKeys: String, CodingKey {
        case painPoints = "pain_points"
        case technicalTargets = "technical_targets"
        case integrations, baseline
        case expectedImprovementPct = "expected_improvement_pct"
        case satisfactionTargetNPS = "satisfaction_target_nps"
        case roiTargetPct = "roi_target_pct"
    }

    public init(painPoints: [String], technicalTargets: TechnicalTargets, integrations: [String]? = nil,
        baseline: Baseline, expectedImprovementPct: Double? = nil, satisfactionTargetNPS: Double? = nil,
        roiTargetPct: Double? = nil)
    {
        self.painPoints = painPoints
        self.technicalTargets = technicalTargets
        self.integrations = integrations
        self.baseline = baseline
        self.expectedImprovementPct = expectedImprovementPct
        self.satisfactionTargetNPS = satisfactionTargetNPS
        self.roiTargetPct = roiTargetPct
    }
}

/// Technical targets the lead named; each one present becomes a criterion.
public struct TechnicalTargets: Codable, Hashable, Sendable {
    public var latencyP95Ms: Double?
    public var accuracyPct: Double?
    public var uptimePct: Double?
    public var errorRatePct: Double?

    enum CodingKeys: String, CodingKey {
        case latencyP95Ms = "latency_p95_ms"
        case accuracyPct = "accuracy_pct"
        case uptimePct = "uptime_pct"
        case errorRatePct = "error_rate_pct"
    }

    public init(latencyP95Ms: Double? = nil, accuracyPct: Double? = nil, uptimePct: Double? = nil,
        errorRatePct: Double? = nil)
    {
        self.latencyP95Ms = latencyP95Ms
        self.accuracyPct = accuracyPct
        self.uptimePct = uptimePct
        self.errorRatePct = errorRatePct
    }
}

/// Today's cost of the work the product should reduce.
public struct Baseline: Codable, Hashable, Sendable {
    /// Staff hours per week, all people together.
    public var hoursPerWeek: Double
    /// Loaded cost of one staff hour in `currency`.
    public var hourlyCost: Double
    public var currency: String

    enum CodingKeys: String, CodingKey {
        case hoursPerWeek = "hours_per_week"
        case hourlyCost = "hourly_cost"
        case currency
    }

    public init(hoursPerWeek: Double, hourlyCost: Double, currency: String) {
        self.hoursPerWeek = hoursPerWeek
        self.hourlyCost = hourlyCost
        self.currency = currency
    }
}
