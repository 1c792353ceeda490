/// The pilot's terms as proposed or agreed (`defs.v1.json#/$defs/terms`).
public struct Terms: Codable, Hashable, Sendable {
    /// The default pilot length when the request leaves `duration_days` out.
    public static let defaultDurationDays = 30

    /// 14 to 30; `nil` when the request left it out (see `resolvedDurationDays`).
    public var durationDays: Int?
    /// 3 to 5 use cases.
    public var useCases: [UseCase]
    public var supportLevel: SupportLevel
    public var pricing: Pricing

    enum CodingKeys: String, CodingKey {
        case durationDays = "duration_days"
        case useCases = "use_cases"
        case supportLevel = "support_level"
        case pricing
    }

    public init(durationDays: Int? = nil, useCases: [UseCase], supportLevel: SupportLevel, pricing: Pricing) {
        self.durationDays = durationDays
        self.useCases = useCases
        self.supportLevel = supportLevel
        self.pricing = pricing
    }

    /// `durationDays`, or 30 when absent.
    public var resolvedDurationDays: Int { durationDays ?? Self.defaultDurationDays }
}

/// One use case the pilot will prove (`defs.v1.json#/$defs/use_case`).
public struct UseCase: Codable, Hashable, Sendable {
    /// One line.
    public var title: String
    /// May span several lines.
    public var description: String

    public init(title: String, description: String) {
        self.title = title
        self.description = description
    }
}

/// Support during the pilot.
public enum SupportLevel: String, Codable, Hashable, Sendable {
    /// A short daily call.
    case dailyCheckins = "daily_checkins"
    /// Chat and e-mail only.
    case async
}

/// What the pilot costs (`defs.v1.json#/$defs/pricing`).
public struct Pricing: Codable, Hashable, Sendable {
    public enum Model: String, Codable, Hashable, Sendable {
        case free
        case discounted
    }

    public var model: Model
    /// Annual list price in major units of `currency`.
    public var listPriceAnnual: Double
    /// Percent off the list price; required for `discounted`, ignored for `free`.
    public var discountPct: Double?
    /// ISO 4217 code, e.g. `EUR`.
    public var currency: String

    enum CodingKeys: String, CodingKey {
        case model
        case listPriceAnnual = "list_price_annual"
        case discountPct = "discount_pct"
        case currency
    }

    public init(model: Model, listPriceAnnual: Double, discountPct: Double? = nil, currency: String) {
        self.model = model
        self.listPriceAnnual = listPriceAnnual
        self.discountPct = discountPct
        self.currency = currency
    }
}
