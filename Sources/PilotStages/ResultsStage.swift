import Foundation
import PilotDomain
import PilotJSON
import PilotRuntime
import PilotStore

/// `pilot.results.requested` → `pilot-results.md`, `results-email.eml`, `outcome.json`,
/// the charts, and `pilot.results.compiled` for the next-action stage.
struct ResultsStage: EventHandler {
    func handle(_ event: CloudEvent, context: HandlerContext) throws -> HandlerOutcome {
        guard let record = context.pilot, record.status == PilotStatus.active.rawValue else {
            throw StageSupport.wrongState("results for \(event.subject) need an active pilot, found \(context.pilot?.status ?? "no pilot")")
        }
        let thread = event.subject
        let state = try StageSupport.state(of: record)
        let now = try StageSupport.time(of: event)
        let evaluation = try Evaluations.load(thread, state: state, throughDay: state.resolvedDuration, store: context.store)
        let timeZone = try Evaluations.timeZone(state)
        let resultsPath = StageSupport.path(thread, ResultsReport.fileName)
        let emlPath = StageSupport.path(thread, "results-email.eml")
        let outcomePath = StageSupport.path(thread, "outcome.json")
        let report = ResultsReport.render(evaluation: evaluation, startDate: state.pilotStartDate, timeZone: timeZone)
        let email = ResultsEmail.message(thread: thread, evaluation: evaluation, resultsText: report, now: now)
        let outcome = PilotOutcome(evaluation, resultsPath: resultsPath)
        return HandlerOutcome(
            events: [
                StageSupport.emailSend(email, path: emlPath, kind: "results", from: event),
                StageSupport.derived("pilot.results.compiled", from: event,
                    data: outcome.compiledData(resultsPath: resultsPath, outcomePath: outcomePath)),
            ],
            documents: [
                Document(path: resultsPath, text: report), Document(path: emlPath, bytes: email.serialized()),
                Document(path: outcomePath, bytes: outcome.document.serializedBytes()),
            ] + Evaluations.charts(evaluation, thread: thread),
            pilot: try StageSupport.record(state, from: record, thread: thread, stage: context.stage, status: .resultsCompiled))
    }
}

/// `pilot.results.compiled` → SUCCESS: `action.create` (`sales:close`, a human's turn);
/// FAILED: `actions.skip_remaining` and `deal.lost` with the reasons. Both: `pilot.completed`
/// and `crm.update`.
struct NextActionStage: EventHandler {
    func handle(_ event: CloudEvent, context: HandlerContext) throws -> HandlerOutcome {
        guard let record = context.pilot, record.status == PilotStatus.resultsCompiled.rawValue else {
            throw StageSupport.wrongState("next action for \(event.subject) needs compiled results, found \(context.pilot?.status ?? "no pilot")")
        }
        let state = try StageSupport.state(of: record)
        let data = event.data
        let success = data["status"] == "SUCCESS"
        let reasons = data["failure_reasons"]?.array?.compactMap(\.string) ?? []
        var completed = JSONObject()
        for key in ["status", "technical_metrics", "business_metrics", "user_feedback", "issues"] { completed[key] = data[key] }
        completed["next_action"] = success ? "sales:close" : "none"
        completed["results_path"] = data["results_path"]
        var events: [OutgoingEvent] = []
        if success {
            events.append(StageSupport.derived("action.create", from: event, data: [
                "type": "sales:close", "human_required": true, "results_path": data["results_path"] ?? .null,
            ]))
            events.append(StageSupport.crmUpdate("pilot_completed", from: event, note: "Pilot succeeded; sales:close created"))
        } else {
            context.log.warning("pilot failed", ["failure_reasons": .array(reasons.map { .string($0) })])
            events.append(StageSupport.derived("actions.skip_remaining", from: event, data: ["reason": "pilot_failed", "action": "sales:pilot"]))
            events.append(StageSupport.derived("deal.lost", from: event, data: [
                "reason": "pilot_failed", "failure_reasons": .array(reasons.map { .string($0) }),
            ]))
            events.append(StageSupport.crmUpdate("deal_lost", from: event, note: "Pilot failed: " + reasons.joined(separator: "; ")))
        }
        events.append(StageSupport.derived("pilot.completed", from: event, data: .object(completed)))
        return HandlerOutcome(
            events: events,
            pilot: try StageSupport.record(state, from: record, thread: event.subject, stage: context.stage, status: success ? .completed : .lost))
    }
}
