import PilotDomain
import PilotJSON

/// The rows of the buyer's criteria table: the latest daily snapshot's standing of each
/// criterion when there is one, else the agreed targets with nothing measured yet.
enum CriteriaRows {
    static func rows(facts: PilotFacts, snapshot: JSONValue?, durationDays: Int?) -> [[String: Any]] {
        let duration = durationDays ?? 30
        guard let measured = snapshot?["criteria"]?.array, !measured.isEmpty else {
            return facts.criteria.map { criterion in
                ["name": CriterionText(criterion, durationDays: duration).name, "required": criterion.required,
                    "target": CriterionText.target(criterion), "latest": "–", "soFar": "–", "trend": "–",
                    "status": "Not started", "tone": ""]
            }
        }
        return measured.map { item in
            let id = item["id"]?.string ?? item["metric"]?.string ?? "?"
            let criterion = facts.criteria.first { $0.id == id }
            let unit = item["unit"]?.string ?? criterion?.unit ?? ""
            let name = criterion.map { CriterionText($0, durationDays: duration).name } ?? (item["metric"]?.string ?? id)
            let target = criterion.map(CriterionText.target)
                ?? "\(item["comparison"]?.string ?? "") \(value(item["target"], unit: unit))"
            let met = item["met"] == .bool(true)
            let atRisk = item["at_risk"] == .bool(true)
            return [
                "name": name, "required": item["required"] != .bool(false), "target": target,
                "latest": value(item["day_value"], unit: unit), "soFar": value(item["so_far"], unit: unit),
                "trend": trend(item["trend"]?.string),
                "status": met ? "Met" : atRisk ? "At risk" : "Not met yet", "tone": met ? "good" : atRisk ? "bad" : "warn",
            ]
        }
    }

    static func value(_ json: JSONValue?, unit: String) -> String {
        guard let number = json?.number else { return "no data" }
        let text = NumberText.plain(number, maxFractionDigits: 2, grouping: true)
        switch unit {
        case "", "NPS": return text
        case "%": return text + "%"
        default: return text + " " + unit
        }
    }

    static func trend(_ text: String?) -> String {
        switch text {
        case "improving": "Improving"
        case "worsening": "Worsening"
        case "steady", "stable": "Steady"
        case nil: "–"
        case let other?: other.replacingOccurrences(of: "_", with: " ").capitalized
        }
    }
}
