/// A criterion in words, for the agreement's table, the invite and e-mails.
/// Plain text: callers escape it for the format they write.
public struct CriterionText: Hashable, Sendable {
    /// "p95 latency".
    public var name: String
    /// "≤ 300 ms".
    public var target: String
    /// "Mean of the daily 95th-percentile response times".
    public var howMeasured: String
    /// Decides the outcome.
    public var required: Bool

    /// Describes `criterion` for a pilot of `durationDays` days whose lead listed `integrations`.
    public init(_ criterion: Criterion, durationDays: Int, integrations: [String] = []) {
        required = criterion.required
        target = Self.target(criterion)
        let known = Self.known[criterion.metric]
        name = known?.name ?? Self.humanized(criterion.metric)
        switch criterion.metric {
        case "integrations_working_pct" where !integrations.isEmpty:
            name = "Integrations working (" + integrations.joined(separator: ", ") + ")"
            howMeasured = "Share of the listed integrations working end to end with the Customer's systems"
        case "hours_saved" where criterion.aggregation == "sum" && durationDays > 0:
            let perWeek = NumberText.plain(criterion.target * 7 / Double(durationDays), maxFractionDigits: 1)
            howMeasured = "Staff hours saved against the baseline, reported daily and summed over the pilot"
                + " (about \(perWeek) h per week)"
        default:
            let what = known?.measured ?? ("daily " + Self.humanized(criterion.metric).lowercased())
            howMeasured = known?.fixedMethod ?? Self.aggregated(criterion.aggregation, what)
        }
    }

    /// "≤ 300 ms", "≥ 99.5%", "≥ 30" (an NPS).
    public static func target(_ criterion: Criterion) -> String {
        let symbol = criterion.comparison == .atMost ? "≤" : "≥"
        let number = NumberText.plain(criterion.target)
        switch criterion.unit {
        case "": return "\(symbol) \(number)"
        case "%": return "\(symbol) \(number)%"
        // The metric's name says NPS already; "≥ 30 NPS" reads as a count of something.
        case "NPS": return "\(symbol) \(number)"
        default: return "\(symbol) \(number) \(criterion.unit)"
        }
    }

    private struct Known {
        var name: String
        /// What one daily value is, for "Mean of …".
        var measured: String
        /// A method that is not an aggregation of daily values.
        var fixedMethod: String?
    }

    private static let known: [String: Known] = [
        "latency_p95_ms": Known(name: "p95 latency", measured: "daily 95th-percentile response times"),
        "accuracy_pct": Known(name: "Accuracy", measured: "daily share of correct results"),
        "uptime_pct": Known(name: "Uptime", measured: "daily availability"),
        "error_rate_pct": Known(name: "Error rate", measured: "daily share of failed requests"),
        "integrations_working_pct": Known(name: "Integrations working", measured: "integrations working",
            fixedMethod: "Share of the listed integrations working end to end with the Customer's systems"),
        "hours_saved": Known(name: "Staff hours saved", measured: "daily staff hours saved against the baseline"),
        "roi_pct": Known(name: "Return on investment", measured: "return on investment",
            fixedMethod: "Value of the hours saved at the baseline hourly cost, against the pilot's cost,"
                + " at the end of the pilot"),
        "nps": Known(name: "User satisfaction (NPS)", measured: "net promoter score",
            fixedMethod: "Survey of the Customer's users (0 to 10); percent of 9 and 10 minus percent of 0 to 6"),
    ]

    /// "Mean of the daily share of correct results", "Lowest daily availability", …
    static func aggregated(_ aggregation: String, _ what: String) -> String {
        switch aggregation {
        case "mean", "avg", "average": "Mean of the \(what)"
        case "min": "Lowest \(what)"
        case "max": "Highest \(what)"
        case "sum": "Total of the \(what) over the pilot"
        case "last": "Latest of the \(what), at the end of the pilot"
        default: humanized(aggregation) + " of the " + what
        }
    }

    /// "error_rate_pct" → "Error rate pct".
    static func humanized(_ name: String) -> String {
        let words = name.split(separator: "_").joined(separator: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }
}
