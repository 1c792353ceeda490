/// A pilot evaluated through one day: each criterion so far, the day's phase,
/// the days without metrics, feedback, ROI and issues. A pure function of its
/// inputs; the same inputs give the same evaluation.
public struct PilotEvaluation: Hashable, Sendable {
    /// The day evaluated (1…`durationDays`).
    public var day: Int
    public var durationDays: Int
    /// The phase `day` falls in (`PilotPhase.of`): the first quarter is setup and
    /// integration, the last quarter results and analysis.
    public var phase: PilotPhase
    /// One per criterion, in the criteria's order.
    public var criteria: [CriterionEvaluation]
    /// The reports of days 1…`day`, by day.
    public var reports: [PilotMetrics]
    /// Days 1…`day` with no `pilot.metrics` report.
    public var missingDays: [Int]
    public var feedback: FeedbackSummary
    public var roi: ROICalculation
    public var issues: IssueSummary
    /// The request, with the terms as signed (amended pricing, baseline).
    public var request: PilotRequest

    /// Evaluates the pilot through `day`.
    ///
    /// - Parameters:
    ///   - criteria: the pilot's success criteria (as signed).
    ///   - metrics: the daily reports, any order, at most one per day (a later
    ///     one in the array replaces an earlier one for the same day). Reports
    ///     for days after `day` or outside 1…`durationDays` are ignored.
    ///   - issues: the latest state of each issue.
    ///   - feedback: every response; the latest per respondent counts.
    ///   - request: baseline and pricing for ROI, the lead for names.
    ///   - durationDays: the pilot's length.
    ///   - day: the day to evaluate through; clamped to 1…`durationDays`.
    ///   - closing: the results, not a day of monitoring. Closed before its last day, the
    ///     pilot is judged as a pilot of `day` days: a total (`sum`) against its target for
    ///     those days (`Criterion.target(forDays:of:)`), with nothing projected, instead of
    ///     against the whole pilot's, which only the days never run could have reached.
    public static func evaluate(criteria: [Criterion], metrics: [PilotMetrics], issues: [PilotIssue],
        feedback: [PilotFeedback], request: PilotRequest, durationDays: Int, throughDay day: Int, closing: Bool = false)
        -> PilotEvaluation
    {
        let duration = max(1, durationDays)
        let day = min(max(1, day), duration)
        var byDay: [Int: PilotMetrics] = [:]
        for report in metrics where (1...day).contains(report.day) { byDay[report.day] = report }
        let reports = byDay.keys.sorted().map { byDay[$0]! }
        let missing = (1...day).filter { byDay[$0] == nil }

        func series(_ metric: String) -> [DailyValue] {
            (1...day).map { DailyValue(day: $0, value: byDay[$0]?.value(of: metric)) }
        }
        let hours = series("hours_saved")
        let roi = ROICalculation(hoursSaved: hours.compactMap(\.value), request: request)
        let summary = FeedbackSummary(feedback)

        let evaluated = criteria.map { criterion -> CriterionEvaluation in
            switch criterion.metric {
            case CriterionID.roi:
                let met = roi.meets(criterion)
                return CriterionEvaluation(criterion: criterion, daily: (1...day).map { DailyValue(day: $0, value: nil) },
                    actual: roi.roiPct, dayValue: nil, met: met,
                    atRisk: criterion.required && roi.annualBenefit != nil && !met,
                    // ROI follows the hours saved per day.
                    trend: Trend.of(hours.compactMap(\.value), comparison: .atLeast, target: 0),
                    hasData: roi.annualBenefit != nil)
            case CriterionID.nps:
                let met = summary.nps.map { criterion.comparison.isMet(actual: $0, target: criterion.target) } ?? false
                return CriterionEvaluation(criterion: criterion, daily: (1...day).map { DailyValue(day: $0, value: nil) },
                    actual: summary.nps, dayValue: nil, met: met,
                    atRisk: criterion.required && summary.nps != nil && !met, trend: .steady)
            case _ where closing && day < duration && MetricAggregation.isSum(criterion.aggregation):
                var judged = criterion
                judged.target = criterion.target(forDays: day, of: duration)
                var evaluation = CriterionEvaluation.daily(judged, daily: series(criterion.metric), day: day, durationDays: day)
                evaluation.wholePilotTarget = criterion.target
                return evaluation
            default:
                return .daily(criterion, daily: series(criterion.metric), day: day, durationDays: duration)
            }
        }
        return PilotEvaluation(day: day, durationDays: duration, phase: .of(day: day, durationDays: duration),
            criteria: evaluated, reports: reports, missingDays: missing, feedback: summary, roi: roi,
            issues: IssueSummary(issues), request: request)
    }

    /// The report for `day` itself, if any.
    public var dayReport: PilotMetrics? { reports.last { $0.day == day } }

    /// Days 1…`day` with a report.
    public var reportedDays: [Int] { reports.map(\.day) }

    /// Whether this is the pilot's last day.
    public var isLastDay: Bool { day >= durationDays }

    /// Whether results evaluated through `day` cover fewer days than the pilot's length:
    /// an operator closed it early.
    public var isClosedEarly: Bool { day < durationDays }

    /// The required criteria at risk, in the criteria's order.
    public var atRisk: [CriterionEvaluation] { criteria.filter(\.atRisk) }

    /// The metrics of the criteria at risk, each once, in the criteria's order:
    /// `report.weekly`'s `at_risk`.
    public var atRiskMetrics: [String] {
        var seen = Set<String>()
        return atRisk.map(\.criterion.metric).filter { seen.insert($0).inserted }
    }

    /// The criterion measuring `metric`, if the pilot has one.
    public func criterion(metric: String) -> CriterionEvaluation? {
        criteria.first { $0.criterion.metric == metric }
    }

    /// SUCCESS or FAILED by `PilotVerdict.rule`, judged on the data so far.
    public var verdict: PilotVerdict { PilotVerdict(self) }

    /// The alerts for `day` (`PilotAlert.alerts(for:)`).
    public var alerts: [PilotAlert] { PilotAlert.alerts(for: self) }
}
