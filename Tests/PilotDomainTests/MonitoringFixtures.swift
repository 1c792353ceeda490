import Foundation
import PilotDomain

/// A 30-day pilot of the Acme request, with metrics, issues and feedback to evaluate.
enum MonitoringFixtures {
    /// Day 1 of the pilot, a Monday.
    static let startDate = Fixtures.date("2026-12-07")
    static let zone = Fixtures.zone("America/New_York")

    /// A day with every measurement: on target, 2.05 h saved.
    static func goodDay(_ day: Int, latency: Double = 212.4, uptime: Double = 99.9, errorRate: Double = 0.42,
        hours: Double = 2.05) -> PilotMetrics
    {
        PilotMetrics(day: day,
            technical: .init(latencyP95Ms: latency, accuracyPct: 96.8, uptimePct: uptime, errorRatePct: errorRate,
                requests: 18_000),
            business: .init(activeUsers: 14, hoursSaved: hours, tasksCompleted: 37))
    }

    /// 30 good days; day 12 has 99.6% uptime.
    static var goodMonth: [PilotMetrics] {
        (1...30).map { $0 == 12 ? goodDay($0, uptime: 99.6) : goodDay($0) }
    }

    static func feedback(_ email: String, _ score: Int, _ comment: String? = nil, at time: String = "2026-12-20T12:00:00Z",
        name: String? = nil, role: String? = nil) -> PilotFeedback
    {
        PilotFeedback(respondent: .init(name: name ?? email.split(separator: "@")[0].capitalized, email: email, role: role),
            score: score, comment: comment, submittedAt: Fixtures.utc(time))
    }

    /// Scores 10, 9, 9, 8, 7, 6: NPS (3 − 1) / 6 = 33.3, average 8.2.
    static var sixResponses: [PilotFeedback] {
        [
            feedback("ravi@acme.test", 9, "The Monday digest now writes itself.", at: "2026-12-10T18:30:12Z",
                name: "Ravi Menon", role: "Staff Data Engineer"),
            feedback("dana@acme.test", 10, "Anomaly triage saves us every morning.", at: "2026-12-11T09:00:00Z",
                name: "Dana Whitfield"),
            feedback("mia@acme.test", 9, at: "2026-12-12T09:00:00Z"),
            feedback("li@acme.test", 8, at: "2026-12-13T09:00:00Z"),
            feedback("ola@acme.test", 7, at: "2026-12-14T09:00:00Z"),
            feedback("kim@acme.test", 6, "Exports are still slow.", at: "2026-12-15T09:00:00Z"),
        ]
    }

    static func issue(_ id: String, _ severity: PilotIssue.Severity, resolved: String? = nil,
        reported: String = "2026-12-09T10:02:00Z", title: String? = nil, resolution: String? = nil) -> PilotIssue
    {
        PilotIssue(issueID: id, title: title ?? "Issue \(id)", severity: severity, status: resolved == nil ? .open : .resolved,
            reportedAt: Fixtures.utc(reported), resolvedAt: resolved.map(Fixtures.utc), resolution: resolution)
    }

    static var resolvedIssues: [PilotIssue] {
        [
            issue("SUP-1042", .medium, resolved: "2026-12-10T14:18:00Z", title: "Dashboard export times out",
                resolution: "Exports over 50k rows are now streamed instead of buffered."),
            issue("SUP-1043", .high, resolved: "2026-12-15T09:00:00Z", reported: "2026-12-14T08:00:00Z",
                title: "Slack alerts arrive twice", resolution: "Deduplicated the webhook deliveries."),
        ]
    }

    static func evaluate(_ metrics: [PilotMetrics], day: Int, durationDays: Int = 30,
        criteria: [Criterion] = Fixtures.criteria, issues: [PilotIssue] = [], feedback: [PilotFeedback] = [],
        request: PilotRequest = Fixtures.request, closing: Bool = false) -> PilotEvaluation
    {
        PilotEvaluation.evaluate(criteria: criteria, metrics: metrics, issues: issues, feedback: feedback,
            request: request, durationDays: durationDays, throughDay: day, closing: closing)
    }

    /// The whole successful month.
    static var successfulEnd: PilotEvaluation {
        evaluate(goodMonth, day: 30, issues: resolvedIssues, feedback: sixResponses)
    }

    static func criterion(_ metric: String, target: Double, _ comparison: Criterion.Comparison,
        aggregation: String = "mean", required: Bool = true, unit: String = "") -> Criterion
    {
        Criterion(id: metric, kind: .technical, metric: metric, target: target, comparison: comparison, unit: unit,
            required: required, aggregation: aggregation)
    }
}
