import Foundation
import PilotDomain
import PilotJSON
import PilotRuntime
import PilotStore

/// Evaluates one pilot day against the success criteria: the day's snapshot and
/// alerts, and every seventh day the weekly progress report, its email, the CRM
/// status, and a check-in invite when a criterion is at risk.
struct DayEvaluator {
    func evaluate(day: Int, event: CloudEvent, record: PilotRecord, state: PilotState, context: HandlerContext) throws -> HandlerOutcome {
        let thread = event.subject
        let now = try StageSupport.time(of: event)
        let evaluation = try Evaluations.load(thread, state: state, throughDay: day, store: context.store)
        var outcome = HandlerOutcome()
        outcome.documents.append(Document(
            path: StageSupport.path(thread, "monitoring/" + DailySnapshot.fileName(day: day)),
            bytes: DailySnapshot(evaluation).json.serializedBytes()))
        for (index, alert) in evaluation.alerts.enumerated() {
            outcome.events.append(StageSupport.derived("alert.raised", from: event, data: alert.json, discriminator: "alert-\(index)"))
        }
        if day % 7 == 0 {
            try weekly(day: day, thread: thread, event: event, state: state, evaluation: evaluation, now: now, into: &outcome)
        }
        if !evaluation.alerts.isEmpty {
            context.log.info("alerts raised", ["day": .stringConvertible(day), "alerts": .stringConvertible(evaluation.alerts.count)])
        }
        return outcome
    }

    private func weekly(
        day: Int, thread: String, event: CloudEvent, state: PilotState, evaluation: PilotEvaluation, now: Date,
        into outcome: inout HandlerOutcome
    ) throws {
        let week = WeeklyReport.week(ofDay: day)
        let timeZone = try Evaluations.timeZone(state)
        let reportPath = StageSupport.path(thread, WeeklyReport.fileName(week: week))
        let report = WeeklyReport.render(week: week, evaluation: evaluation, startDate: state.pilotStartDate, timeZone: timeZone)
        let checkIn = !evaluation.atRisk.isEmpty ? CheckInInvitation(thread: thread, week: week, evaluation: evaluation, now: now, timeZone: timeZone) : nil
        let email = WeeklyEmail.message(thread: thread, week: week, evaluation: evaluation, reportText: report, now: now, checkIn: checkIn?.slot)
        let emlPath = StageSupport.path(thread, "progress-week-\(week).eml")
        outcome.documents += [Document(path: reportPath, text: report), Document(path: emlPath, bytes: email.serialized())]
        outcome.documents += Evaluations.charts(evaluation, thread: thread)
        outcome.events += [
            StageSupport.derived("report.weekly", from: event, data: WeeklyReport.eventData(week: week, reportPath: reportPath, evaluation: evaluation)),
            StageSupport.emailSend(email, path: emlPath, kind: "progress_report", from: event),
            StageSupport.crmUpdate(!evaluation.atRisk.isEmpty ? "pilot_at_risk" : "pilot_active", from: event,
                note: "Week \(week): " + (!evaluation.atRisk.isEmpty ? "at risk: \(evaluation.atRiskMetrics.joined(separator: ", "))" : "on track")),
        ]
        if let checkIn {
            let icsPath = StageSupport.path(thread, "checkin-week-\(week).ics")
            outcome.documents.append(Document(path: icsPath, text: checkIn.ics))
            outcome.events.append(StageSupport.derived("calendar.invite", from: event, data: [
                "ics_path": .string(icsPath), "start": .string(Timestamp.rfc3339(checkIn.slot.start)),
                "end": .string(Timestamp.rfc3339(checkIn.slot.end)),
                "attendees": .array(checkIn.attendees.map { .string($0) }), "uid": .string(checkIn.invite.uid), "kind": "checkin",
            ]))
        }
    }
}
