import PilotDomain

/// The rules for a pilot that goes quiet, pure: from the day's evaluation, how many lead
/// records the store holds and what the previous tick remembered, which alerts to raise
/// today and what to remember for tomorrow. Each condition raises one alert when it starts
/// and none while it lasts; it clears when the condition ends, so the next episode raises
/// again.
///
/// - `missing_metrics`: the day has no report (`PilotAlert.alerts(for:)`). Raised again
///   within an episode only when its severity rises (info in setup → warning after).
/// - `criterion_at_risk`: per criterion, the same way: once when it falls at risk, again
///   only if it recovers and falls again (or its severity rises).
/// - `stalled`: nothing from the lead's side (metrics, issues, feedback) for
///   `stalledAfterDays` pilot days; cleared by the next lead record.
/// - feedback request: no feedback response by the middle of the pilot
///   (`HealthFactor.middleDay`), or at the first tick after it; once per pilot.
struct SilenceRules {
    static let stalledAfterDays = 7

    /// What the tick does.
    struct Verdict: Equatable {
        /// The alerts to publish today, in `PilotAlert.alerts(for:)` order, `stalled` last.
        var alerts: [PilotAlert]
        /// True on the day the pilot becomes stalled: the CRM hears it once.
        var stalled: Bool
        var requestFeedback: Bool
        /// What to remember; its health fields are the previous tick's until `recording`.
        var memory: MonitoringMemory
    }

    /// Lead records the snapshot holds: metrics days, issues, resolved issues (an issue's
    /// resolution is news too) and feedback responses.
    static func leadRecords(metricsDays: Int, issues: Int, resolvedIssues: Int, feedback: Int) -> Int {
        metricsDays + issues + resolvedIssues + feedback
    }

    static func check(_ evaluation: PilotEvaluation, leadRecords: Int, previous: MonitoringMemory?) -> Verdict {
        let day = evaluation.day
        let active = leadRecords > (previous?.leadRecords ?? 0)
        let lastActiveDay = active ? day : min(previous?.lastActiveDay ?? 0, day)
        var open = previous?.openAlerts ?? []
        var raised: [PilotAlert] = []

        // Conditions that last (no data, a criterion at risk) raise once per episode; a
        // day's downtime or error spike is news every day it happens.
        let lasting: Set<PilotAlert.Kind> = [.missingMetrics, .criterionAtRisk]
        for alert in evaluation.alerts {
            guard lasting.contains(alert.kind) else {
                raised.append(alert)
                continue
            }
            let same = { (open: MonitoringMemory.OpenAlert) in open.kind == alert.kind.rawValue && open.metric == alert.metric }
            let before = open.first(where: same)
            if let before, rank(before.severity) >= rank(alert.severity.rawValue) { continue }
            open.removeAll(where: same)
            open.append(.init(kind: alert.kind.rawValue, severity: alert.severity.rawValue, since: before?.since ?? day, metric: alert.metric))
            raised.append(alert)
        }
        // An episode ends the first day its condition is gone.
        open.removeAll { entry in
            lasting.map(\.rawValue).contains(entry.kind)
                && !evaluation.alerts.contains { $0.kind.rawValue == entry.kind && $0.metric == entry.metric }
        }

        var stalled = false
        if day - lastActiveDay >= stalledAfterDays {
            if !open.contains(where: { $0.kind == PilotAlert.Kind.stalled.rawValue }) {
                let alert = PilotAlert.stalled(day: day, since: lastActiveDay, company: evaluation.request.lead.company.name)
                open.append(.init(kind: alert.kind.rawValue, severity: alert.severity.rawValue, since: day))
                raised.append(alert)
                stalled = true
            }
        } else {
            open.removeAll { $0.kind == PilotAlert.Kind.stalled.rawValue }
        }

        let requested = previous?.feedbackRequestedDay
        let requestFeedback = requested == nil && evaluation.feedback.count == 0
            && day >= HealthFactor.middleDay(durationDays: evaluation.durationDays)
        let memory = MonitoringMemory(score: previous?.score ?? 100, label: previous?.label ?? "healthy",
            reasons: previous?.reasons ?? [], day: day, leadRecords: leadRecords, lastActiveDay: lastActiveDay,
            openAlerts: open, feedbackRequestedDay: requestFeedback ? day : requested)
        return Verdict(alerts: raised, stalled: stalled, requestFeedback: requestFeedback, memory: memory)
    }

    private static func rank(_ severity: String) -> Int {
        ["info", "warning", "critical"].firstIndex(of: severity) ?? 0
    }
}
