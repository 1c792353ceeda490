import PilotJSON

/// `monitoring/day-NN.json`: where the pilot stands on one day.
///
/// Members, in this order: `day`, `duration_days`, `phase` (`PilotPhase` raw
/// value) and `phase_title`, `reported` (whether the day has metrics),
/// `criteria` (per criterion: `id`, `metric`, `required`, `comparison`,
/// `target`, `unit`, `aggregation`, `day_value`, `so_far`, `met`, `at_risk`,
/// `trend`, and `projected` for sums), `alerts` (the `alert.raised` data of
/// each), `missing_days`, `feedback` (`nps`, `responses`, `average_score`) and
/// `issues` (`resolved`, `unresolved`, `open_critical` ids), and `health`
/// (`PilotHealth.json`) when given. Numbers without locale; `null` where there is no data.
public struct DailySnapshot: Hashable, Sendable {
    public var evaluation: PilotEvaluation
    public var alerts: [PilotAlert]
    public var health: PilotHealth?

    /// The snapshot of `evaluation` with its alerts (by default `evaluation.alerts`) and health.
    public init(_ evaluation: PilotEvaluation, alerts: [PilotAlert]? = nil, health: PilotHealth? = nil) {
        self.evaluation = evaluation
        self.alerts = alerts ?? evaluation.alerts
        self.health = health
    }

    /// `day-07.json` for day 7: two digits, so the files sort by day.
    public static func fileName(day: Int) -> String {
        "day-" + NumberText.padded(day, 2) + ".json"
    }

    /// The document.
    public var json: JSONValue {
        let e = evaluation
        let criteria: [JSONValue] = e.criteria.map { item in
            let c = item.criterion
            var members: [(String, JSONValue)] = [
                ("id", .string(c.id)), ("metric", .string(c.metric)), ("required", .bool(c.required)),
                ("comparison", .string(c.comparison.rawValue)), ("target", .number(c.target)),
                ("unit", .string(c.unit)), ("aggregation", .string(c.aggregation)),
                ("day_value", .number(item.dayValue)), ("so_far", .number(item.actual)), ("met", .bool(item.met)),
                ("at_risk", .bool(item.atRisk)), ("trend", .string(item.trend.rawValue)),
            ]
            if let projected = item.projected { members.append(("projected", .number(projected))) }
            return .object(JSONObject(members))
        }
        var document = JSONObject([
            ("day", .int(Int64(e.day))),
            ("duration_days", .int(Int64(e.durationDays))),
            ("phase", .string(e.phase.rawValue)),
            ("phase_title", .string(e.phase.title)),
            ("reported", .bool(e.dayReport != nil)),
            ("criteria", .array(criteria)),
            ("alerts", .array(alerts.map(\.json))),
            ("missing_days", .array(e.missingDays.map { .int(Int64($0)) })),
            ("feedback", .object(JSONObject([
                ("nps", .number(e.feedback.nps)), ("responses", .int(Int64(e.feedback.count))),
                ("average_score", .number(e.feedback.averageScore)),
            ]))),
            ("issues", .object(JSONObject([
                ("resolved", .int(Int64(e.issues.resolved.count))),
                ("unresolved", .int(Int64(e.issues.unresolved.count))),
                ("open_critical", .array(e.issues.openCritical.map { .string($0.issueID) })),
            ]))),
        ])
        if let health { document["health"] = health.json }
        return .object(document)
    }
}

extension PilotAlert {
    /// The `alert.raised` data.
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("kind", .string(kind.rawValue)), ("severity", .string(severity.rawValue)), ("day", .int(Int64(day))),
            ("message", .string(message)),
        ]
        if let metric { members.append(("metric", .string(metric))) }
        return .object(JSONObject(members))
    }
}
