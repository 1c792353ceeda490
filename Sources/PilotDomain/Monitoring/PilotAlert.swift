/// Something in a running pilot that needs attention: the data of `alert.raised`
/// (`schemas/alert.raised.v1.json`).
///
/// The conditions, checked for the evaluated day only (`alerts(for:)`):
/// - `downtime`: the day's uptime is below the uptime criterion's target;
///   critical when more than one point below, else warning. No uptime criterion, no alert.
/// - `error_rate`: the day's error rate is above the error-rate criterion's
///   target, or more than twice the mean of the earlier days' error rates (a
///   spike; needs a mean above zero). Critical when above twice the target, else warning.
/// - `missing_metrics`: the day has no report. Info during setup and
///   integration (data feeds are often not connected yet), warning after.
/// - `criterion_at_risk`: one per required criterion at risk (`CriterionEvaluation.atRisk`), warning.
///
/// `stalled` (nothing from the lead's side for 7 pilot days) is not among them: it needs
/// what happened on earlier days, which the monitoring stage remembers (`stalled(day:since:company:)`).
///
/// Order: downtime, error rate, missing metrics, then the criteria at risk in the criteria's order.
public struct PilotAlert: Codable, Hashable, Sendable {
    /// What the alert is about.
    public enum Kind: String, Codable, Hashable, Sendable {
        case downtime
        case errorRate = "error_rate"
        case missingMetrics = "missing_metrics"
        case criterionAtRisk = "criterion_at_risk"
        case stalled
    }

    /// How urgent it is.
    public enum Severity: String, Codable, Hashable, Sendable {
        case info, warning, critical
    }

    public var kind: Kind
    public var severity: Severity
    public var day: Int
    /// One or two sentences, one line.
    public var message: String
    /// The metric concerned, e.g. `uptime_pct`.
    public var metric: String?

    public init(kind: Kind, severity: Severity, day: Int, message: String, metric: String? = nil) {
        self.kind = kind
        self.severity = severity
        self.day = day
        self.message = message
        self.metric = metric
    }

    /// The alerts for `evaluation.day`.
    public static func alerts(for evaluation: PilotEvaluation) -> [PilotAlert] {
        let day = evaluation.day
        var alerts: [PilotAlert] = []
        if let report = evaluation.dayReport {
            if let uptime = report.technical?.uptimePct, let criterion = evaluation.criterion(metric: "uptime_pct")?
                .criterion, uptime < criterion.target
            {
                let severity: Severity = uptime < criterion.target - 1 ? .critical : .warning
                alerts.append(PilotAlert(kind: .downtime, severity: severity, day: day,
                    message: "Uptime was " + MetricText.value(uptime, unit: "%") + " on day \(day), below the "
                        + MetricText.value(criterion.target, unit: "%") + " target.",
                    metric: "uptime_pct"))
            }
            if let alert = errorRate(report, evaluation) { alerts.append(alert) }
        } else {
            let missing = evaluation.missingDays
            var message = "No metrics were reported for day \(day)."
            if missing.count > 1 {
                message += " Days without metrics so far: " + MetricText.list(missing.map(String.init)) + "."
            }
            alerts.append(PilotAlert(kind: .missingMetrics, severity: evaluation.phase == .setup ? .info : .warning,
                day: day, message: message))
        }
        for item in evaluation.atRisk {
            alerts.append(PilotAlert(kind: .criterionAtRisk, severity: .warning, day: day,
                message: CriterionSentence(item, evaluation).atRisk, metric: item.criterion.metric))
        }
        return alerts
    }

    /// The lead has sent nothing (metrics, issues, feedback) since `since` (0: the start).
    public static func stalled(day: Int, since: Int, company: String) -> PilotAlert {
        let silent = since == 0 ? "since the pilot started" : "since day \(since)"
        return PilotAlert(kind: .stalled, severity: .warning, day: day,
            message: "No metrics, issues or feedback from " + MarkdownText.singleLine(company) + " " + silent
                + " (" + MetricText.count(day - since, "pilot day") + "): the pilot is stalled.")
    }

    static func errorRate(_ report: PilotMetrics, _ evaluation: PilotEvaluation) -> PilotAlert? {
        guard let rate = report.technical?.errorRatePct else { return nil }
        let target = evaluation.criterion(metric: "error_rate_pct")?.criterion.target
        let earlier = evaluation.reports.filter { $0.day < evaluation.day }.compactMap(\.technical?.errorRatePct)
        let mean = earlier.isEmpty ? nil : earlier.reduce(0, +) / Double(earlier.count)
        let overTarget = target.map { rate > $0 } ?? false
        let spike = mean.map { $0 > 0 && rate > 2 * $0 } ?? false
        guard overTarget || spike else { return nil }
        var reasons: [String] = []
        if overTarget, let target { reasons.append("above the " + MetricText.value(target, unit: "%") + " target") }
        if spike, let mean {
            reasons.append("more than twice the " + MetricText.value(mean, unit: "%")
                + " average of the earlier days")
        }
        let critical = target.map { rate > 2 * $0 } ?? false
        return PilotAlert(kind: .errorRate, severity: critical ? .critical : .warning, day: evaluation.day,
            message: "Error rate was " + MetricText.value(rate, unit: "%") + " on day \(evaluation.day), "
                + reasons.joined(separator: " and ") + ".",
            metric: "error_rate_pct")
    }
}
