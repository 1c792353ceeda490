import Foundation
import PilotJSON

/// `progress-week-N.md`: the weekly progress report a founder sends the lead.
///
/// Sections: a summary in prose; progress toward each criterion (target, this
/// week, so far, trend arrow, status); days without metrics; issues opened,
/// resolved and still open; feedback so far; next steps; links to the charts
/// (`MetricChart.path`, relative to the thread folder where the report lies).
/// Values from events are escaped for Markdown.
public enum WeeklyReport {
    /// `progress-week-2.md`.
    public static func fileName(week: Int) -> String { "progress-week-\(week).md" }

    /// The week number of pilot `day`: 1 for days 1–7.
    public static func week(ofDay day: Int) -> Int { (max(1, day) - 1) / 7 + 1 }

    /// The pilot days of `week`, cut at the pilot's end.
    public static func days(week: Int, durationDays: Int) -> ClosedRange<Int> {
        let first = (week - 1) * 7 + 1
        return first...max(first, min(week * 7, durationDays))
    }

    /// The `report.weekly` data for the report of `week` written to `reportPath`
    /// on `evaluation.day`, with the day's `health` (`PilotHealth.summaryJSON`) when given.
    public static func eventData(week: Int, reportPath: String, evaluation: PilotEvaluation, health: PilotHealth? = nil)
        -> JSONValue
    {
        var data = JSONObject([
            ("week", .int(Int64(week))),
            ("report_path", .string(reportPath)),
            ("at_risk", .array(evaluation.atRiskMetrics.map { JSONValue.string($0) })),
            ("day", .int(Int64(evaluation.day))),
        ])
        if let health { data["health"] = health.summaryJSON }
        return .object(data)
    }

    /// The report for `week`, from `evaluation` through the week's last day.
    ///
    /// - Parameters:
    ///   - startDate: pilot day 1, for dates and for which issues fall in the week.
    ///   - timeZone: the lead's zone.
    ///   - charts: include links to the charts (`MetricChart.charts`).
    ///   - health: the day's score and reasons, shown after the summary.
    public static func render(week: Int, evaluation: PilotEvaluation, startDate: CalendarDate, timeZone: TimeZone,
        charts: Bool = true, health: PilotHealth? = nil) -> String
    {
        WeeklyReportWriter(week: week, evaluation: evaluation, startDate: startDate, timeZone: timeZone,
            charts: charts, health: health).text
    }
}
