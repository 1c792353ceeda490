import Contracts
import Foundation
import PilotDomain
import PilotJSON
import PilotRuntime
import PilotStore

/// Builds a pilot's evaluation from what the store holds: the criteria and terms in its
/// state, and every day's metrics, issue and feedback reported so far.
enum Evaluations {
    static func load(_ thread: String, state: PilotState, throughDay day: Int, store: (any PilotStoreReader)?) throws -> PilotEvaluation {
        guard let store else { throw EvaluationError("the monitoring stage needs the store") }
        let decoder = JSONValueDecoder()
        let metrics = try store.metrics(threadID: thread).map { try decoder.decode(PilotMetrics.self, from: $0.data) }
        let issues = try store.issues(threadID: thread).map { try decoder.decode(PilotIssue.self, from: $0.data) }
        let feedback = try store.feedback(threadID: thread).map { try decoder.decode(PilotFeedback.self, from: $0.data) }
        return PilotEvaluation.evaluate(
            criteria: state.criteria, metrics: metrics, issues: issues, feedback: feedback, request: state.request,
            durationDays: state.resolvedDuration, throughDay: day)
    }

    static func timeZone(_ state: PilotState) throws -> TimeZone {
        guard let zone = state.request.lead.timeZone else {
            throw HandlerRejection(reason: "unknown_timezone", detail: "lead timezone \(state.request.lead.timezone) is not in the tz database")
        }
        return zone
    }

    /// Chart documents for the thread, linked from the weekly and results reports.
    static func charts(_ evaluation: PilotEvaluation, thread: String) -> [Document] {
        MetricChart.charts(evaluation).map { Document(path: StageSupport.path(thread, $0.path), text: $0.svg) }
    }
}

struct EvaluationError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension PilotState {
    var resolvedDuration: Int { durationDays ?? request.terms.resolvedDurationDays }
    var pilotStartDate: CalendarDate { startDate ?? proposedStartDate }
}
