/// Success criteria derived from the qualification answers.
///
/// Which criteria are `required` (the pilot fails when one is missed):
/// - A technical target the lead named (latency, accuracy, uptime, error rate)
///   is required: the lead told us that is what "working" means to them, and
///   each is measured every day in `pilot.metrics`.
/// - Integrations are reported, not required: no event reports integration
///   status yet, so a required one could never be met and every pilot would fail.
/// - A business target the lead named (ROI, improvement) is required for the
///   same reason as technical ones; a default we filled in is reported only, so
///   a pilot never fails on a number nobody asked for.
/// - NPS is never required: a pilot has a handful of respondents, and one
///   person moves the score by 20 to 50 points.
public enum SuccessCriteria {
    /// Targets used when the lead gave none.
    public struct Defaults: Hashable, Sendable {
        /// ROI the pilot should show when the lead named none, percent.
        public var roiTargetPct: Double = 100
        /// NPS among the lead's users when the lead named none.
        public var satisfactionTargetNPS: Double = 30
        /// Reduction of the baseline hours when the lead named none, percent.
        public var improvementPct: Double = 20

        public init() {}
    }

    /// The criteria for a pilot of `durationDays` days: technical ones first, in
    /// the schema's order, then business ones. Always at least ROI and NPS.
    public static func derive(from qualification: Qualification, durationDays: Int,
        defaults: Defaults = Defaults()) -> [Criterion]
    {
        var criteria: [Criterion] = []
        let targets = qualification.technicalTargets
        if let latency = targets.latencyP95Ms {
            // The mean of the daily p95 values: one slow day should not sink the pilot, a slow month should.
            criteria.append(Criterion(id: CriterionID.latency, kind: .technical, metric: "latency_p95_ms",
                target: latency, comparison: .atMost, unit: "ms", required: true, aggregation: "mean"))
        }
        if let accuracy = targets.accuracyPct {
            criteria.append(Criterion(id: CriterionID.accuracy, kind: .technical, metric: "accuracy_pct",
                target: accuracy, comparison: .atLeast, unit: "%", required: true, aggregation: "mean"))
        }
        if let uptime = targets.uptimePct {
            // Uptime is a promise about every day, so the worst day counts ("minimum daily").
            criteria.append(Criterion(id: CriterionID.uptime, kind: .technical, metric: "uptime_pct",
                target: uptime, comparison: .atLeast, unit: "%", required: true, aggregation: "min"))
        }
        if let errorRate = targets.errorRatePct {
            criteria.append(Criterion(id: CriterionID.errorRate, kind: .technical, metric: "error_rate_pct",
                target: errorRate, comparison: .atMost, unit: "%", required: true, aggregation: "mean"))
        }
        if let integrations = qualification.integrations, !integrations.isEmpty {
            criteria.append(Criterion(id: CriterionID.integrations, kind: .technical,
                metric: "integrations_working_pct", target: 100, comparison: .atLeast, unit: "%", required: false,
                aggregation: "last"))
        }
        if let hours = hoursSaved(qualification, durationDays: durationDays, defaults: defaults) {
            criteria.append(hours)
        }
        criteria.append(Criterion(id: CriterionID.roi, kind: .business, metric: "roi_pct",
            target: qualification.roiTargetPct ?? defaults.roiTargetPct, comparison: .atLeast, unit: "%",
            required: qualification.roiTargetPct != nil, aggregation: "last"))
        criteria.append(Criterion(id: CriterionID.nps, kind: .business, metric: "nps",
            target: qualification.satisfactionTargetNPS ?? defaults.satisfactionTargetNPS, comparison: .atLeast,
            unit: "NPS", required: false, aggregation: "last"))
        return criteria
    }

    /// Hours saved over the whole pilot: the weekly saving the lead expects
    /// (`hours_per_week × improvement %`), pro rata for the pilot's calendar days,
    /// to one decimal. Summed from the daily `business.hours_saved`, which the
    /// monitoring stage already receives, so no new aggregation is needed.
    /// `nil` when the baseline is zero hours: there is nothing to save.
    static func hoursSaved(_ qualification: Qualification, durationDays: Int, defaults: Defaults) -> Criterion? {
        let perWeek = weeklyHoursSavedTarget(qualification, defaults: defaults)
        guard perWeek > 0 else { return nil }
        let total = Criterion.tenths(perWeek * Double(durationDays) / 7)
        return Criterion(id: CriterionID.hoursSaved, kind: .business, metric: "hours_saved", target: total,
            comparison: .atLeast, unit: "h", required: qualification.expectedImprovementPct != nil,
            aggregation: "sum")
    }

    /// `baseline.hours_per_week × expected_improvement_pct / 100` (20 % when absent).
    public static func weeklyHoursSavedTarget(_ qualification: Qualification, defaults: Defaults = Defaults())
        -> Double
    {
        let pct = qualification.expectedImprovementPct ?? defaults.improvementPct
        return qualification.baseline.hoursPerWeek * pct / 100
    }
}

/// The `id`s of derived criteria; each equals its metric name, so logs and
/// reports read the same either way.
public enum CriterionID {
    public static let latency = "latency_p95_ms"
    public static let accuracy = "accuracy_pct"
    public static let uptime = "uptime_pct"
    public static let errorRate = "error_rate_pct"
    public static let integrations = "integrations_working_pct"
    public static let hoursSaved = "hours_saved"
    public static let roi = "roi_pct"
    public static let nps = "nps"
}
