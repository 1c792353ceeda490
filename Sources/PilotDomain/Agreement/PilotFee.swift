/// What the customer pays for the pilot.
///
/// A discounted pilot costs the annual list price less the discount, pro rata
/// for the pilot's days out of 365 (`defs.v1.json#/$defs/pricing`); a free
/// one costs nothing. Amounts are rounded to cents, half away from zero, as `NumberText` prints them.
public struct PilotFee: Hashable, Sendable {
    public var pricing: Pricing
    public var durationDays: Int

    public init(pricing: Pricing, durationDays: Int) {
        self.pricing = pricing
        self.durationDays = durationDays
    }

    public var isFree: Bool { pricing.model == .free }

    /// The discount in percent; 100 for a free pilot.
    public var discountPct: Double {
        isFree ? 100 : min(100, max(0, pricing.discountPct ?? 0))
    }

    /// The list price for the pilot's days, before the discount.
    public var listPriceForPeriod: Double {
        Self.cents(pricing.listPriceAnnual * Double(durationDays) / 365)
    }

    /// What the customer pays; zero when free.
    public var amountPayable: Double {
        isFree ? 0 : Self.cents(pricing.listPriceAnnual * (100 - discountPct) / 100 * Double(durationDays) / 365)
    }

    /// "USD 48,000.00".
    public var listPriceAnnualText: String { NumberText.money(pricing.listPriceAnnual, currency: pricing.currency) }
    /// "USD 3,945.21".
    public var listPriceForPeriodText: String { NumberText.money(listPriceForPeriod, currency: pricing.currency) }
    /// "USD 1,972.60".
    public var amountPayableText: String { NumberText.money(amountPayable, currency: pricing.currency) }

    /// One line for e-mails and change lists: "Free (list price USD 48,000.00 a year)" or
    /// "50% off the list price of USD 48,000.00 a year: USD 1,972.60 for 30 days".
    public var summary: String {
        if isFree { return "Free of charge (list price \(listPriceAnnualText) a year)" }
        return NumberText.percent(discountPct) + " off the list price of \(listPriceAnnualText) a year: "
            + "\(amountPayableText) for \(durationDays) days"
    }

    static func cents(_ amount: Double) -> Double {
        Double(NumberText.plain(amount, maxFractionDigits: 2)) ?? amount
    }
}
