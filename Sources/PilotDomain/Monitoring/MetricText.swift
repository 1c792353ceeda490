/// Numbers and sentences about a criterion, shared by alerts, failure reasons
/// and reports. Plain text; callers escape it for the format they write.
enum MetricText {
    /// "212.4 ms", "99.5%", "37", an NPS as "50": at most two decimals, no locale.
    static func value(_ value: Double, unit: String) -> String {
        let number = NumberText.plain(value, maxFractionDigits: 2)
        switch unit {
        case "", "NPS": return number
        case "%": return number + "%"
        default: return number + " " + unit
        }
    }

    /// `value` in the criterion's unit, or "no data".
    static func value(_ value: Double?, of criterion: Criterion) -> String {
        value.map { Self.value($0, unit: criterion.unit) } ?? "no data"
    }

    /// The criterion's name ("p95 latency", "Uptime").
    static func name(_ criterion: Criterion, in evaluation: PilotEvaluation) -> String {
        CriterionText(criterion, durationDays: evaluation.durationDays,
            integrations: evaluation.request.qualification.integrations ?? []).name
    }

    /// "Uptime" → "uptime", "p95 latency" and "NPS" unchanged.
    static func lowercasedStart(_ text: String) -> String {
        // Only the first two characters matter: a sentence per criterion a day asks this.
        var characters = text.makeIterator()
        guard let first = characters.next(), let second = characters.next(), first.isUppercase, !second.isUppercase else {
            return text
        }
        return first.lowercased() + text[text.index(after: text.startIndex)...]
    }

    /// "above" for a `<=` criterion that is missed, "below" for `>=`.
    static func wrongSide(_ criterion: Criterion) -> String {
        criterion.comparison == .atMost ? "above" : "below"
    }

    /// "3, 5 and 9".
    static func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + items.last!
    }

    /// "1 day", "3 days".
    static func count(_ number: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(number) " + (number == 1 ? singular : (plural ?? singular + "s"))
    }
}
