import PilotDomain
import PilotJSON

/// The rows of the buyer's criteria table: the latest daily snapshot's standing of each
/// criterion when there is one, else the agreed targets with nothing measured yet; once
/// the results are in, each criterion's target, actual and verdict as they judged it.
enum CriteriaRows {
    static func rows(facts: PilotFacts, snapshot: JSONValue?, durationDays: Int?, results: JudgedResults? = nil) -> [[String: Any]] {
        let duration = durationDays ?? 30
        // How many rows so far measured each metric: the n-th criterion on a metric has
        // the n-th result on it.
        var seen: [String: Int] = [:]
        func judged(_ row: [String: Any], metric: String, criterion: Criterion?) -> [String: Any] {
            defer { seen[metric, default: 0] += 1 }
            guard let results, let result = results.result(for: metric, occurrence: seen[metric] ?? 0) else { return row }
            return Self.judged(row, result, criterion: criterion, results: results)
        }
        guard let measured = snapshot?["criteria"]?.array, !measured.isEmpty else {
            return facts.criteria.map { criterion in
                judged(["name": CriterionText(criterion, durationDays: duration).name, "required": criterion.required,
                    "target": CriterionText.target(criterion), "latest": "–", "soFar": "–", "trend": "–",
                    "status": "Not started", "tone": ""], metric: criterion.metric, criterion: criterion)
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
            return judged([
                "name": name, "required": item["required"] != .bool(false), "target": target,
                "latest": value(item["day_value"], unit: unit), "soFar": value(item["so_far"], unit: unit),
                "trend": trend(item["trend"]?.string),
                "status": met ? "Met" : atRisk ? "At risk" : "Not met yet", "tone": met ? "good" : atRisk ? "bad" : "warn",
            ], metric: criterion?.metric ?? item["metric"]?.string ?? id, criterion: criterion)
        }
    }

    /// `row` with the target, actual and verdict `result` gives. A target the results
    /// scaled to the days of an early close says so beside the agreed one.
    private static func judged(
        _ row: [String: Any], _ result: PilotOutcome.MetricResult, criterion: Criterion?, results: JudgedResults
    ) -> [String: Any] {
        let unit = result.unit ?? criterion?.unit ?? ""
        var row = row
        var target = CriterionText.target(Criterion(
            id: result.metric, kind: criterion?.kind ?? .technical, metric: result.metric, target: result.target,
            comparison: result.comparison, unit: unit, required: criterion?.required ?? true,
            aggregation: criterion?.aggregation ?? ""))
        if let criterion, criterion.target != result.target {
            let whole = results.durationDays.map { "\(CriterionText.target(criterion)) over \($0) days" } ?? CriterionText.target(criterion)
            target += results.closedEarly ? " for \(results.resultsDays ?? 0) days (\(whole))" : " (\(whole))"
        }
        row["target"] = target
        row["soFar"] = value(result.actual.map(JSONValue.double), unit: unit)
        row["status"] = result.met ? "Met" : "Not met"
        row["tone"] = result.met ? "good" : "bad"
        return row
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
