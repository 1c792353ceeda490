/// Return on investment from the hours saved so far.
///
/// The formulas, as the results report prints them:
/// - hours saved per week = total hours saved ÷ days with an `hours_saved` report × 7
/// - annual benefit = hours saved per week × 52 × baseline hourly cost
/// - annual cost = annual list price × (1 − discount ÷ 100); 0 for a free pilot
/// - ROI % = (annual benefit − annual cost) ÷ annual cost × 100
/// - payback months = annual cost ÷ (annual benefit ÷ 12)
///
/// The cost is what the customer would pay per year at the pilot's pricing
/// (the list price less the pilot discount): the price of the contract the
/// pilot leads to, against a year of the measured benefit.
///
/// A free pilot has no cost, so ROI is undefined: `roiPct` is `nil`, the report
/// says "n/a (free pilot)", and the ROI criterion is met iff the annual benefit
/// is above zero. With no hours-saved report at all there is nothing to
/// compute: every figure is `nil`.
///
/// Each figure is rounded before the next is computed from it (hours per week
/// to two decimals, amounts to cents, ROI and payback to one decimal, half away
/// from zero), so the formulas printed with their numbers add up. The baseline and the price
/// are assumed to be in the same currency; `currencyMismatch` says when not.
public struct ROICalculation: Hashable, Sendable {
    /// Sum of the daily `hours_saved`.
    public var totalHoursSaved: Double
    /// Days with an `hours_saved` value.
    public var daysReported: Int
    /// `totalHoursSaved ÷ daysReported × 7`, to two decimals; `nil` with no reports.
    public var hoursSavedPerWeek: Double?
    /// Cost of one staff hour at the baseline.
    public var hourlyCost: Double
    /// The baseline's currency: the benefit's.
    public var currency: String
    /// The pricing's currency: the cost's.
    public var priceCurrency: String
    /// `hoursSavedPerWeek × 52 × hourlyCost`, to cents.
    public var annualBenefit: Double?
    /// List price less the discount, to cents; 0 when free.
    public var annualCost: Double
    /// True for a free pilot.
    public var isFree: Bool
    /// `(benefit − cost) ÷ cost × 100`, to one decimal; `nil` when free or without data.
    public var roiPct: Double?
    /// `cost ÷ (benefit ÷ 12)`, to one decimal; `nil` when free, without data or without benefit.
    public var paybackMonths: Double?
    /// The baseline and the price are in different currencies: the figures compare them as they are.
    public var currencyMismatch: Bool

    /// ROI for `request` (baseline and pricing, as amended) from the days' `hours_saved`.
    public init(hoursSaved: [Double], request: PilotRequest) {
        let baseline = request.qualification.baseline
        let pricing = request.terms.pricing
        totalHoursSaved = Self.round(hoursSaved.reduce(0, +), 2)
        daysReported = hoursSaved.count
        hourlyCost = baseline.hourlyCost
        currency = baseline.currency
        priceCurrency = pricing.currency
        isFree = pricing.model == .free
        let discount = min(100, max(0, pricing.discountPct ?? 0))
        annualCost = isFree ? 0 : Self.round(pricing.listPriceAnnual * (100 - discount) / 100, 2)
        currencyMismatch = baseline.currency.uppercased() != pricing.currency.uppercased()
        guard daysReported > 0 else {
            (hoursSavedPerWeek, annualBenefit, roiPct, paybackMonths) = (nil, nil, nil, nil)
            return
        }
        // Each step works on the rounded figure before it, so the printed formulas add up.
        let perWeek = Self.round(hoursSaved.reduce(0, +) / Double(daysReported) * 7, 2)
        hoursSavedPerWeek = perWeek
        let benefit = Self.round(perWeek * 52 * baseline.hourlyCost, 2)
        annualBenefit = benefit
        if isFree || annualCost <= 0 {
            roiPct = nil
            paybackMonths = nil
        } else {
            roiPct = Self.round((benefit - annualCost) / annualCost * 100, 1)
            paybackMonths = benefit > 0 ? Self.round(annualCost / (benefit / 12), 1) : nil
        }
    }

    /// Whether the ROI criterion is met: ROI compared with the target, or for a
    /// free pilot (or a zero price) any benefit above zero. False without data.
    public func meets(_ criterion: Criterion) -> Bool {
        if let roiPct { return criterion.comparison.isMet(actual: roiPct, target: criterion.target) }
        guard let annualBenefit, isFree || annualCost <= 0 else { return false }
        return annualBenefit > 0
    }

    /// The benefit in words: "USD 1,234.00".
    func benefitText(_ amount: Double) -> String { NumberText.money(amount, currency: currency) }
    /// The cost in words: "USD 24,000.00".
    func costText(_ amount: Double) -> String { NumberText.money(amount, currency: priceCurrency) }

    static func round(_ value: Double, _ digits: Int) -> Double {
        Double(NumberText.plain(value, maxFractionDigits: digits)) ?? value
    }
}
