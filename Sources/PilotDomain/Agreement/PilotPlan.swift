/// What an agreement states: the terms, the criteria and the dates. The
/// proposal's plan comes from `pilot.requested`; the final one is the proposal
/// with the `pilot.signed` amendments applied.
public struct PilotPlan: Hashable, Sendable {
    public var durationDays: Int
    public var useCases: [UseCase]
    public var supportLevel: SupportLevel
    public var pricing: Pricing
    public var criteria: [Criterion]
    /// Day 1.
    public var startDate: CalendarDate

    public init(durationDays: Int, useCases: [UseCase], supportLevel: SupportLevel, pricing: Pricing,
        criteria: [Criterion], startDate: CalendarDate)
    {
        self.durationDays = durationDays
        self.useCases = useCases
        self.supportLevel = supportLevel
        self.pricing = pricing
        self.criteria = criteria
        self.startDate = startDate
    }

    /// The proposal: the request's terms, the derived criteria, a proposed start.
    public init(terms: Terms, criteria: [Criterion], startDate: CalendarDate) {
        self.init(durationDays: terms.resolvedDurationDays, useCases: terms.useCases,
            supportLevel: terms.supportLevel, pricing: terms.pricing, criteria: criteria, startDate: startDate)
    }

    /// The last day of the pilot: day `durationDays`, so a 30-day pilot starting
    /// on 1 December ends on 30 December, inclusive.
    public var endDate: CalendarDate { startDate.adding(days: durationDays - 1) }

    /// The plan as `terms` for events.
    public var terms: Terms {
        Terms(durationDays: durationDays, useCases: useCases, supportLevel: supportLevel, pricing: pricing)
    }

    public var fee: PilotFee { PilotFee(pricing: pricing, durationDays: durationDays) }

    /// The plan as signed: `signed.startDate`, and each amended field replacing
    /// the proposed one whole.
    ///
    /// When the duration changes and the criteria are not amended, a derived
    /// hours-saved total is recomputed for the new length from `qualification`
    /// (it is a weekly saving summed over the days; other targets do not depend
    /// on the length).
    public func amended(by signed: PilotSigned, qualification: Qualification) -> PilotPlan {
        var plan = self
        plan.startDate = signed.startDate
        guard let amendments = signed.amendments else { return plan }
        if let days = amendments.durationDays { plan.durationDays = days }
        if let useCases = amendments.useCases { plan.useCases = useCases }
        if let support = amendments.supportLevel { plan.supportLevel = support }
        if let pricing = amendments.pricing { plan.pricing = pricing }
        if let criteria = amendments.criteria {
            plan.criteria = criteria
        } else if plan.durationDays != durationDays {
            let rederived = SuccessCriteria.derive(from: qualification, durationDays: plan.durationDays)
            if let hours = rederived.first(where: { $0.id == CriterionID.hoursSaved }) {
                plan.criteria = plan.criteria.map { criterion in
                    guard criterion.id == CriterionID.hoursSaved, criterion.aggregation == "sum" else {
                        return criterion
                    }
                    var rescaled = criterion
                    rescaled.target = hours.target
                    return rescaled
                }
            }
        }
        return plan
    }
}
