import PilotDomain

/// The rules for a pilot that goes quiet, pure: from the day's evaluation, how many lead
/// records the store holds and what the previous tick remembered, which alerts to raise
/// today and what to remember for tomorrow. Each condition raises one alert when it starts
/// and none while it lasts; it clears when the condition ends, so the next episode raises
/// again.
///
/// - `missing_metrics`: the day has no report (`PilotAlert.alerts(for:)`). Raised again
///   within an episode only when its severity rises (info in setup → warning after).
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

        for alert in evaluation.alerts {
            guard alert.kind == .missingMetrics else {
                raised.append(alert)
                continue
            }
            let before = open.first { $0.kind == alert.kind.rawValue }
            if let before, rank(before.severity) >= rank(alert.severity.rawValue) { continue }
            open.removeAll { $0.kind == alert.kind.rawValue }
            open.append(.init(kind: alert.kind.rawValue, severity: alert.severity.rawValue, since: before?.since ?? day))
            raised.append(alert)
        }
        if !evaluation.alerts.contains(where: { $0.kind == .missingMetrics }) {
            open.removeAll { $0.kind == PilotAlert.Kind.missingMetrics.rawValue }
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
