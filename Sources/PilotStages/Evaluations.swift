import Contracts
import Foundation
import PilotDomain
import PilotJSON
import PilotStageAPI

/// Builds a pilot's evaluation from what the store holds: the criteria and terms in its
/// state, and every day's metrics, issue and feedback reported so far.
enum Evaluations {
    static func load(_ snapshot: PilotSnapshot, state: PilotState, throughDay day: Int) throws -> PilotEvaluation {
        let decoder = JSONValueDecoder()
        let metrics = try snapshot.metrics.map { try decoder.decode(PilotMetrics.self, from: $0.data) }
        let issues = try snapshot.issues.map { try decoder.decode(PilotIssue.self, from: $0.data) }
        let feedback = try snapshot.feedback.map { try decoder.decode(PilotFeedback.self, from: $0) }
        return PilotEvaluation.evaluate(
            criteria: state.criteria, metrics: metrics, issues: issues, feedback: feedback, request: state.request,
            durationDays: state.resolvedDuration, throughDay: day)
    }

    static func timeZone(_ state: PilotState) throws -> TimeZone {
        guard let zone = state.request.lead.timeZone else {
            throw Refusal.never("unknown_timezone", "lead timezone \(state.request.lead.timezone) is not in the tz database")
        }
        return zone
    }

    /// Chart documents for the thread, linked from the weekly and results reports.
    static func charts(_ evaluation: PilotEvaluation, thread: String) -> [Document] {
        MetricChart.charts(evaluation).map { Document(path: StageSupport.path(thread, $0.path), text: $0.svg) }
    }
}

extension PilotState {
    var resolvedDuration: Int { durationDays ?? request.terms.resolvedDurationDays }
    var pilotStartDate: CalendarDate { startDate ?? proposedStartDate }
}
