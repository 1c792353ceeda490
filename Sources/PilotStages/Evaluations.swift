import Contracts
import Foundation
import PilotDomain
import PilotJSON
import PilotStageAPI

/// Builds a pilot's evaluation from what the store holds: the criteria and terms in its
/// state, and every day's metrics, issue and feedback reported so far.
enum Evaluations {
    /// What the lead reported, decoded once for every evaluation a handler makes of it.
    struct Reports {
        var metrics: [PilotMetrics]
        var issues: [PilotIssue]
        var feedback: [PilotFeedback]

        init(_ snapshot: PilotSnapshot) throws {
            let decoder = JSONValueDecoder()
            // Each row once per pilot, not once per day: the memo outlives this tick.
            metrics = try snapshot.metrics.map { row in try row.memo.value { try decoder.decode(PilotMetrics.self, from: row.data) } }
            issues = try snapshot.issues.map { try decoder.decode(PilotIssue.self, from: $0.data) }
            feedback = try snapshot.feedback.map { try decoder.decode(PilotFeedback.self, from: $0) }
        }
    }

    static func load(_ snapshot: PilotSnapshot, state: PilotState, throughDay day: Int, closing: Bool = false) throws -> PilotEvaluation {
        load(try Reports(snapshot), state: state, throughDay: day, closing: closing)
    }

    static func load(_ reports: Reports, state: PilotState, throughDay day: Int, closing: Bool = false) -> PilotEvaluation {
        PilotEvaluation.evaluate(
            criteria: state.criteria, metrics: reports.metrics, issues: reports.issues, feedback: reports.feedback, request: state.request,
            durationDays: state.resolvedDuration, throughDay: day, closing: closing)
    }

    /// The pilot as it stood at the end of `day`: metrics through `day`, and only the
    /// issues and feedback that existed then (an issue resolved later counts as open), so
    /// the health score of a week before can be compared with today's.
    static func asOf(_ reports: Reports, state: PilotState, day: Int) -> PilotEvaluation {
        let zone = (try? timeZone(state)) ?? TimeZone(secondsFromGMT: 0)!
        let end = PilotCalendar.window(days: 1...max(1, day), start: state.pilotStartDate, timeZone: zone).upperBound
        let issues = reports.issues
            .filter { $0.reportedAt < end }
            .map { issue in
                var then = issue
                if issue.isResolved, let resolved = issue.resolvedAt, resolved >= end { then.status = .open }
                return then
            }
        let feedback = reports.feedback.filter { $0.submittedAt < end }
        return PilotEvaluation.evaluate(
            criteria: state.criteria, metrics: reports.metrics, issues: issues, feedback: feedback, request: state.request,
            durationDays: state.resolvedDuration, throughDay: day)
    }

    /// The lead's records in the store (`SilenceRules.leadRecords`).
    static func leadRecords(_ snapshot: PilotSnapshot) -> Int {
        SilenceRules.leadRecords(metricsDays: snapshot.metrics.count, issues: snapshot.issues.count,
            resolvedIssues: snapshot.issues.filter { $0.data["status"]?.string == PilotIssue.Status.resolved.rawValue }.count,
            feedback: snapshot.feedback.count)
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
    /// Also read by `PilotState.length(of:)`, straight from the stored state.
    var resolvedDuration: Int { durationDays ?? request.terms.resolvedDurationDays }
    var pilotStartDate: CalendarDate { startDate ?? proposedStartDate }
}
