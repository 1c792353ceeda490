import Foundation

/// `pilot-results.md`: the results a founder sends at the end of the pilot.
///
/// Sections: executive summary (SUCCESS or FAILED, the rule, the reasons),
/// technical metrics vs targets, business metrics vs targets, user feedback
/// (NPS, responses, average, quotes), issues and their resolutions, return on
/// investment with the formulas and their numbers, and the next step. Values
/// from events are escaped for Markdown.
public enum ResultsReport {
    /// The file name, `pilot-results.md`.
    public static let fileName = "pilot-results.md"

    /// The report on `evaluation` (of the pilot's last day).
    ///
    /// - Parameters:
    ///   - startDate: pilot day 1; the end is day `durationDays`.
    ///   - timeZone: the lead's zone, for the issues' dates.
    ///   - providerName: our company; by default the founder's e-mail domain.
    public static func render(evaluation: PilotEvaluation, startDate: CalendarDate, timeZone: TimeZone,
        providerName: String? = nil) -> String
    {
        ResultsReportWriter(evaluation: evaluation, startDate: startDate, timeZone: timeZone,
            provider: providerName ?? AgreementRenderer.defaultProviderName(evaluation.request.founder)).text
    }
}
