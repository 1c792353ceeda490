/// Where one success criterion stands on a pilot day.
///
/// - `actual`: the daily values of days 1…`day` aggregated as the criterion
///   says (`MetricAggregation`); for `roi_pct` the ROI from the hours saved so
///   far (`ROICalculation`), for `nps` the NPS of the feedback so far
///   (`FeedbackSummary`). Rounded to two decimals before it is compared, so
///   the number shown is the number judged. `nil` without data.
/// - `met`: `actual` compares with `target` as `comparison` says; false without
///   data. A free pilot's ROI criterion is met iff the annual benefit is above zero.
/// - `atRisk`: only for a required criterion with data. A sum (hours saved) is
///   at risk when its linear projection to the last day misses the target; any
///   other criterion when it is not met so far.
public struct CriterionEvaluation: Hashable, Sendable {
    public var criterion: Criterion
    /// One entry per day 1…`day`; all `nil` for ROI, NPS and metrics no event carries.
    public var daily: [DailyValue]
    /// The aggregate so far.
    public var actual: Double?
    /// The value of the evaluated day alone (its daily value; `nil` for ROI and NPS).
    public var dayValue: Double?
    public var met: Bool
    public var atRisk: Bool
    public var trend: Trend
    /// For sums: the total so far plus the mean daily value × the days still to
    /// come (missed days count as nothing). `nil` for other aggregations.
    public var projected: Double?
    /// For `min` and `max`: the first day with the value that counts.
    public var extremeDay: Int?
    /// Whether anything has been measured: a daily value, a feedback response,
    /// or for ROI an hours-saved report (a free pilot has data but no ROI figure).
    public var hasData: Bool
    /// The whole pilot's target of a total judged on fewer days (an early close), whose
    /// `criterion.target` is then the target for those days; `nil` otherwise.
    public var wholePilotTarget: Double?

    public init(criterion: Criterion, daily: [DailyValue], actual: Double?, dayValue: Double?, met: Bool,
        atRisk: Bool, trend: Trend, projected: Double? = nil, extremeDay: Int? = nil, hasData: Bool? = nil)
    {
        self.hasData = hasData ?? (actual != nil)
        self.criterion = criterion
        self.daily = daily
        self.actual = actual
        self.dayValue = dayValue
        self.met = met
        self.atRisk = atRisk
        self.trend = trend
        self.projected = projected
        self.extremeDay = extremeDay
    }

    /// The days that have a value, oldest first.
    public var values: [Double] { daily.compactMap(\.value) }


    /// The criterion's values for `days` aggregated the criterion's way (e.g. one week's).
    public func aggregate(days: ClosedRange<Int>) -> Double? {
        MetricAggregation.aggregate(daily.filter { days.contains($0.day) }.compactMap(\.value),
            criterion.aggregation).map { ROICalculation.round($0, 2) }
    }

    /// Evaluates a criterion measured day by day from `daily` (days 1…`day`).
    static func daily(_ criterion: Criterion, daily: [DailyValue], day: Int, durationDays: Int)
        -> CriterionEvaluation
    {
        let values = daily.compactMap(\.value)
        let actual = MetricAggregation.aggregate(values, criterion.aggregation).map { ROICalculation.round($0, 2) }
        let met = actual.map { criterion.comparison.isMet(actual: $0, target: criterion.target) } ?? false
        var projected: Double?
        var atRisk = criterion.required && actual != nil && !met
        if MetricAggregation.isSum(criterion.aggregation), let actual {
            let remaining = Double(max(0, durationDays - day))
            let projection = ROICalculation.round(actual + actual / Double(values.count) * remaining, 2)
            projected = projection
            atRisk = criterion.required && !criterion.comparison.isMet(actual: projection, target: criterion.target)
        }
        var extremeDay: Int?
        if let actual, criterion.aggregation == "min" || criterion.aggregation == "max" {
            extremeDay = daily.first { $0.value.map { ROICalculation.round($0, 2) } == actual }?.day
        }
        return CriterionEvaluation(criterion: criterion, daily: daily, actual: actual,
            dayValue: daily.last { $0.day == day }?.value, met: met, atRisk: atRisk,
            trend: Trend.of(values, comparison: criterion.comparison, target: criterion.target),
            projected: projected, extremeDay: extremeDay)
    }
}
