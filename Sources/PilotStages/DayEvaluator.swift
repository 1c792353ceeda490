import Contracts
import Foundation
import PilotDomain
import PilotJSON
import PilotStageAPI

/// Evaluates one pilot day against the success criteria: the day's snapshot and
/// alerts (deduplicated by the silence rules), its health score, the silence rules' feedback
/// request and stall, and every seventh day the weekly progress report, its email, the CRM
/// status, and a check-in invite when a criterion is at risk.
enum DayEvaluator {
    static func evaluate(day: Int, event: CloudEvent, state: PilotState, snapshot: PilotSnapshot, context: StageContext, links: BuyerLinks? = nil) throws -> StageOutcome {
        let thread = event.subject
        // When the tick was due, not its `time` (a pilot day before): the weekly check-in's
        // slot, the e-mails' dates and the buyer link's validity count from it.
        let now = try DailyTick.due(event, context)
        let reports = try Evaluations.Reports(snapshot)
        let evaluation = Evaluations.load(reports, state: state, throughDay: day)
        let weekBefore = day > 7 ? Evaluations.asOf(reports, state: state, day: day - 7) : nil
        let health = PilotHealth(today: evaluation, weekBefore: weekBefore)
        let silence = SilenceRules.check(evaluation, leadRecords: Evaluations.leadRecords(snapshot), previous: state.health)
        var outcome = StageOutcome()
        outcome.documents.append(Document(
            path: StageSupport.path(thread, "monitoring/" + DailySnapshot.fileName(day: day)),
            bytes: DailySnapshot(evaluation, alerts: silence.alerts, health: health).json.serializedBytes()))
        for (index, alert) in silence.alerts.enumerated() {
            outcome.events.append(context.derived("alert.raised", from: event, data: alert.json, discriminator: "alert-\(index)"))
        }
        if day % 7 == 0 {
            try weekly(day: day, thread: thread, event: event, state: state, evaluation: evaluation, health: health, now: now,
                pageURL: links?.url(thread: thread, from: now), context, into: &outcome)
        }
        if silence.stalled, let alert = silence.alerts.last {
            outcome.events.append(StageSupport.crmUpdate("pilot_stalled", from: event, note: alert.message, context))
        }
        if silence.requestFeedback {
            let email = FeedbackRequestEmail.message(thread: thread, evaluation: evaluation, now: now)
            let mail = StageSupport.mail(email, path: StageSupport.path(thread, FeedbackRequestEmail.fileName),
                kind: "feedback_request", from: event, context)
            outcome.documents.append(mail.document)
            outcome.events.append(mail.event)
        }
        if !silence.alerts.isEmpty {
            context.log.info("alerts raised", ["day": .stringConvertible(day), "alerts": .stringConvertible(silence.alerts.count)])
        }
        var remembered = state
        remembered.health = silence.memory.recording(health)
        outcome.pilot = PilotUpdate(stage: context.stage, status: PilotStatus.active.rawValue,
            state: try remembered.writingDailyChanges(into: snapshot.pilot?.state))
        return outcome
    }

    private static func weekly(
        day: Int, thread: String, event: CloudEvent, state: PilotState, evaluation: PilotEvaluation, health: PilotHealth, now: Date,
        pageURL: String?, _ context: StageContext, into outcome: inout StageOutcome
    ) throws {
        let week = WeeklyReport.week(ofDay: day)
        let timeZone = try Evaluations.timeZone(state)
        let reportPath = StageSupport.path(thread, WeeklyReport.fileName(week: week))
        let report = WeeklyReport.render(week: week, evaluation: evaluation, startDate: state.pilotStartDate, timeZone: timeZone, health: health)
        let checkIn = !evaluation.atRisk.isEmpty ? CheckInInvitation(thread: thread, week: week, evaluation: evaluation, now: now, timeZone: timeZone) : nil
        let email = WeeklyEmail.message(thread: thread, week: week, evaluation: evaluation, reportText: report, now: now, checkIn: checkIn?.slot, pageURL: pageURL)
        let emlPath = StageSupport.path(thread, "progress-week-\(week).eml")
        let mail = StageSupport.mail(email, path: emlPath, kind: "progress_report", from: event, context)
        outcome.documents += [Document(path: reportPath, text: report), mail.document]
        outcome.documents += Evaluations.charts(evaluation, thread: thread)
        outcome.events += [
            context.derived("report.weekly", from: event, data: WeeklyReport.eventData(week: week, reportPath: reportPath, evaluation: evaluation, health: health)),
            mail.event,
            StageSupport.crmUpdate(!evaluation.atRisk.isEmpty ? "pilot_at_risk" : "pilot_active", from: event,
                note: "Week \(week): " + (!evaluation.atRisk.isEmpty ? "at risk: \(evaluation.atRiskMetrics.joined(separator: ", "))" : "on track"), context),
        ]
        if let checkIn {
            let icsPath = StageSupport.path(thread, "checkin-week-\(week).ics")
            outcome.documents.append(Document(path: icsPath, text: checkIn.ics))
            outcome.events.append(context.derived("calendar.invite", from: event, data: [
                "ics_path": .string(icsPath), "start": .string(EventTime.string(checkIn.slot.start)),
                "end": .string(EventTime.string(checkIn.slot.end)),
                "attendees": .array(checkIn.attendees.map { .string($0) }), "uid": .string(checkIn.invite.uid), "kind": "checkin",
            ]))
        }
    }
}
