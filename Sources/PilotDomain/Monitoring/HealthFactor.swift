/// One thing that counts toward a pilot's health score, with the points it takes off
/// and a sentence that says why (`HealthScore` describes the shares).
public struct HealthFactor: Hashable, Sendable {
    /// Stable across days, so two days' factors can be compared: `criterion.<id>`,
    /// `open_issues`, `missing_data` or `feedback`.
    public var name: String
    /// 0…`maxPoints`, to one decimal.
    public var pointsLost: Double
    /// The most this factor can take off.
    public var maxPoints: Double
    /// One line, plain text, ending with a period.
    public var sentence: String

    public init(name: String, pointsLost: Double, maxPoints: Double, sentence: String) {
        self.name = name
        self.pointsLost = pointsLost
        self.maxPoints = maxPoints
        self.sentence = sentence
    }

    static let criteriaPoints = 60.0
    static let issuePoints = 20.0
    static let missingDataPoints = 10.0
    static let feedbackPoints = 10.0
    /// Required criteria weigh this much more than reported ones.
    static let requiredWeight = 3.0
    /// The least a required criterion at risk loses: at risk, it fails the pilot at the end,
    /// which must show however many criteria share the 60 points.
    static let atRiskPoints = 20.0

    /// The factors of `evaluation`, in `HealthScore.factors` order. Without `describing`
    /// their sentences are left empty: a comparison with a week before reads only the
    /// points, and the sentences were a tenth of a daily tick's health score.
    static func factors(of evaluation: PilotEvaluation, describing: Bool = true) -> [HealthFactor] {
        let weights = evaluation.criteria.map { $0.criterion.required ? requiredWeight : 1 }
        let total = weights.reduce(0, +)
        var factors = zip(evaluation.criteria, weights).map { item, weight in
            criterion(item, maxPoints: criteriaPoints * weight / total, evaluation, describing: describing)
        }
        factors += [
            openIssues(evaluation, describing: describing), missingData(evaluation, describing: describing),
            feedback(evaluation, describing: describing),
        ]
        return factors
    }

    /// How far `item` is from its target, 0 (met, on pace, or not yet measurable) to 1.
    ///
    /// The gap to the target (for a sum, the projected total's) is divided by the room a
    /// metric has: for a percentage that must be at least a target under 100 the points up
    /// to 100 (99.5% uptime has half a point of room, so 99% is fully off), otherwise the
    /// target itself (a p95 latency of 600 ms against ≤ 500 ms is 0.2 off). A criterion
    /// without data counts half once the setup phase is over; NPS without responses
    /// counts nothing here because the feedback factor counts it.
    public static func shortfall(_ item: CriterionEvaluation, phase: PilotPhase) -> Double {
        let c = item.criterion
        if item.met { return 0 }
        guard item.hasData else {
            return c.metric == CriterionID.nps || phase == .setup ? 0 : 0.5
        }
        // A free pilot's ROI criterion has data but no figure: not met means no benefit at all.
        guard let actual = item.projected ?? item.actual else { return 1 }
        let gap = c.comparison == .atMost ? actual - c.target : c.target - actual
        guard gap > 0 else { return 0 }
        let percentRoom = c.unit == "%" && c.comparison == .atLeast && c.target > 0 && c.target < 100
            && c.metric != CriterionID.roi
        let room = percentRoom ? 100 - c.target : abs(c.target)
        return room > 0 ? min(1, gap / room) : 1
    }

    static func criterion(
        _ item: CriterionEvaluation, maxPoints: Double, _ evaluation: PilotEvaluation, describing: Bool = true
    ) -> HealthFactor {
        var lost = oneDecimal(maxPoints * shortfall(item, phase: evaluation.phase))
        if item.atRisk { lost = max(lost, atRiskPoints) }
        let name = "criterion." + item.criterion.id
        let most = item.criterion.required ? max(atRiskPoints, oneDecimal(maxPoints)) : oneDecimal(maxPoints)
        guard describing else { return HealthFactor(name: name, pointsLost: lost, maxPoints: most, sentence: "") }
        let words = CriterionSentence(item, evaluation)
        let metric = MetricText.name(item.criterion, in: evaluation)
        let target = CriterionText.target(item.criterion)
        var sentence: String
        if item.met {
            sentence = metric + " meets its target: " + words.actual + " against " + target + "."
        } else if !item.hasData {
            sentence = "No " + MetricText.lowercasedStart(metric) + " data yet (target " + target + ")"
            if item.criterion.metric == CriterionID.nps {
                sentence += "; the feedback factor counts the missing responses."
            } else {
                sentence += evaluation.phase == .setup ? "; not counted during setup." : "."
            }
        } else if lost == 0, let projected = item.projected {
            sentence = metric + " is on pace: " + words.actual + " so far, heading for "
                + MetricText.value(projected, of: item.criterion) + " against " + target + "."
        } else {
            sentence = words.atRisk
        }
        return HealthFactor(name: name, pointsLost: lost, maxPoints: most, sentence: sentence)
    }

    /// Points per open issue, by severity.
    static func issueCost(_ severity: PilotIssue.Severity) -> Double {
        switch severity {
        case .critical: 20
        case .high: 8
        case .medium: 3
        case .low: 1
        }
    }

    static func openIssues(_ evaluation: PilotEvaluation, describing: Bool = true) -> HealthFactor {
        let open = evaluation.issues.unresolved
        let lost = min(issuePoints, open.map { issueCost($0.severity) }.reduce(0, +))
        var sentence = describing ? "No open issues." : ""
        if describing, !open.isEmpty {
            let counts = PilotIssue.Severity.allCases.reversed().compactMap { severity -> String? in
                let ids = open.filter { $0.severity == severity }.map(\.issueID)
                guard !ids.isEmpty else { return nil }
                return "\(ids.count) " + severity.rawValue + " (" + MetricText.list(ids.map(MarkdownText.singleLine)) + ")"
            }
            sentence = MetricText.count(open.count, "open issue") + ": " + MetricText.list(counts) + "."
        }
        return HealthFactor(name: "open_issues", pointsLost: oneDecimal(lost), maxPoints: issuePoints, sentence: sentence)
    }

    static func missingData(_ evaluation: PilotEvaluation, describing: Bool = true) -> HealthFactor {
        let setupEnd = PilotPhase.setup.days(durationDays: evaluation.durationDays).upperBound
        let counted = evaluation.day - setupEnd
        let missing = evaluation.missingDays.filter { $0 > setupEnd }
        let lost = counted > 0 ? missingDataPoints * Double(missing.count) / Double(counted) : 0
        let sentence: String
        if !describing {
            sentence = ""
        } else if counted <= 0 {
            sentence = evaluation.missingDays.isEmpty ? "Every day so far has metrics."
                : MetricText.count(evaluation.missingDays.count, "day") + " without metrics during setup, which do not count."
        } else if missing.isEmpty {
            sentence = "Every day since the setup phase has metrics."
        } else {
            sentence = "\(missing.count) of the " + MetricText.count(counted, "day") + " since the setup phase "
                + (missing.count == 1 ? "has" : "have") + " no metrics (day" + (missing.count == 1 ? " " : "s ")
                + MetricText.list(missing.map(String.init)) + ")."
        }
        return HealthFactor(name: "missing_data", pointsLost: oneDecimal(lost), maxPoints: missingDataPoints,
            sentence: sentence)
    }

    /// The middle of a pilot of `durationDays`: day 8 of 15, day 15 of 30.
    public static func middleDay(durationDays: Int) -> Int { (max(1, durationDays) + 1) / 2 }

    static func feedback(_ evaluation: PilotEvaluation, describing: Bool = true) -> HealthFactor {
        let summary = evaluation.feedback
        let middle = middleDay(durationDays: evaluation.durationDays)
        guard let nps = summary.nps else {
            let late = evaluation.day >= middle
            return HealthFactor(name: "feedback", pointsLost: late ? feedbackPoints : 0, maxPoints: feedbackPoints,
                sentence: !describing ? ""
                    : late ? "No feedback from the users by the middle of the pilot (day \(middle))."
                    : "No feedback yet; it counts from day \(middle), the middle of the pilot.")
        }
        let lost = feedbackPoints * (100 - min(100, max(-100, nps))) / 200
        return HealthFactor(name: "feedback", pointsLost: oneDecimal(lost), maxPoints: feedbackPoints,
            sentence: !describing ? ""
                : "NPS is " + MetricText.value(nps, unit: "") + " from " + MetricText.count(summary.count, "response") + ".")
    }

    static func oneDecimal(_ value: Double) -> Double { (value * 10).rounded() / 10 }
}
