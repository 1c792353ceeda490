/// A success criterion of the pilot, exactly `defs.v1.json#/$defs/criterion`:
/// met when the aggregated actual value compares with `target` as `comparison` says.
public struct Criterion: Codable, Hashable, Sendable {
    /// Technical (latency, accuracy, …) or business (ROI, NPS, hours saved).
    public enum Kind: String, Codable, Hashable, Sendable {
        case technical
        case business
    }

    /// How the actual value is compared with the target.
    public enum Comparison: String, Codable, Hashable, Sendable {
        case atMost = "<="
        case atLeast = ">="

        /// Whether `actual` meets `target` this way.
        public func isMet(actual: Double, target: Double) -> Bool {
            switch self {
            case .atMost: actual <= target
            case .atLeast: actual >= target
            }
        }
    }

    /// Stable within the pilot, e.g. `latency_p95_ms`.
    public var id: String
    public var kind: Kind
    /// The metric measured, e.g. `latency_p95_ms`; matches the `pilot.metrics` field where there is one.
    public var metric: String
    public var target: Double
    public var comparison: Comparison
    /// For display: `ms`, `%`, `h`, `NPS`; may be empty.
    public var unit: String
    /// True when the pilot fails if this criterion is not met.
    public var required: Bool
    /// How daily values combine: `mean`, `min`, `max`, `sum`, `last`.
    public var aggregation: String

    /// The target of a total (`sum`) for the first `days` of a pilot of `duration` days:
    /// the same daily pace, `target × days ÷ duration`, to one decimal as the derived
    /// hours-saved target is. Any other aggregation does not depend on the days.
    public func target(forDays days: Int, of duration: Int) -> Double {
        guard MetricAggregation.isSum(aggregation), duration > 0, days < duration else { return target }
        return Self.tenths(target * Double(days) / Double(duration))
    }

    /// A total's target to one decimal, half away from zero: how hours-saved targets are
    /// derived and scaled.
    static func tenths(_ value: Double) -> Double {
        (value * 10).rounded(.toNearestOrAwayFromZero) / 10
    }

    public init(id: String, kind: Kind, metric: String, target: Double, comparison: Comparison, unit: String,
        required: Bool, aggregation: String)
    {
        self.id = id
        self.kind = kind
        self.metric = metric
        self.target = target
        self.comparison = comparison
        self.unit = unit
        self.required = required
        self.aggregation = aggregation
    }
}
