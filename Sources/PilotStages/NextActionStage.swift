import PilotJSON
import PilotStageAPI

/// `pilot.results.compiled` → SUCCESS: `action.create` (`sales:close`, a human's turn);
/// FAILED: `actions.skip_remaining` and `deal.lost` with the reasons. Both: `pilot.completed`
/// and `crm.update`.
enum NextActionStage {
    struct Compiled: Decodable, Sendable {}

    static let definition = StageDefinition(PilotStage.nextAction.rawValue) { stage in
        stage.on("pilot.results.compiled", as: Compiled.self, compiled)
    }

    static func compiled(_ event: TypedEvent<Compiled>, _ snapshot: PilotSnapshot, _ context: StageContext) throws -> StageOutcome {
        let record = try StageSupport.pilot(snapshot, for: event.envelope, needing: "pilot.requested")
        guard record.status == PilotStatus.resultsCompiled.rawValue else {
            throw StageSupport.wrongState("next action for \(event.subject) needs compiled results, found \(record.status)")
        }
        let state = try StageSupport.state(of: record)
        let cause = event.envelope
        let data = cause.data
        let success = data["status"] == "SUCCESS"
        let reasons = data["failure_reasons"]?.array?.compactMap(\.string) ?? []
        var completed = JSONObject()
        for key in ["status", "technical_metrics", "business_metrics", "user_feedback", "issues"] { completed[key] = data[key] }
        completed["next_action"] = success ? "sales:close" : "none"
        completed["results_path"] = data["results_path"]
        var events: [OutgoingEvent] = []
        if success {
            events.append(context.derived("action.create", from: cause, data: [
                "type": "sales:close", "human_required": true, "results_path": data["results_path"] ?? .null,
            ]))
            events.append(StageSupport.crmUpdate("pilot_completed", from: cause, note: "Pilot succeeded; sales:close created", context))
        } else {
            context.log.warning("pilot failed", ["failure_reasons": .array(reasons.map { .string($0) })])
            events.append(context.derived("actions.skip_remaining", from: cause, data: ["reason": "pilot_failed", "action": "sales:pilot"]))
            events.append(context.derived("deal.lost", from: cause, data: [
                "reason": "pilot_failed", "failure_reasons": .array(reasons.map { .string($0) }),
            ]))
            events.append(StageSupport.crmUpdate("deal_lost", from: cause, note: "Pilot failed: " + reasons.joined(separator: "; "), context))
        }
        events.append(context.derived("pilot.completed", from: cause, data: .object(completed)))
        return StageOutcome(events: events, pilot: try StageSupport.update(state, context, status: success ? .completed : .lost))
    }
}
