import Foundation
import PilotDomain
import PilotJSON
import PilotStageAPI

/// `pilot.requested` → the customised agreement, `pilot.agreement.generated`, and
/// `crm.update` (`agreement_sent`).
enum AgreementStage {
    static let definition = StageDefinition(PilotStage.agreement.rawValue) { stage in
        stage.on("pilot.requested", as: PilotRequest.self, needs: SnapshotNeeds(templates: true), requested)
    }

    static func requested(_ event: TypedEvent<PilotRequest>, _ snapshot: PilotSnapshot, _ context: StageContext) throws -> StageOutcome {
        if let existing = snapshot.pilot {
            throw StageSupport.wrongState(
                "pilot \(event.subject) was already requested (status \(existing.status)); a thread runs one pilot")
        }
        let request = event.data
        guard let timeZone = request.lead.timeZone else {
            throw Refusal.never("unknown_timezone", "lead timezone \(ThreadID.quoted(request.lead.timezone)) is not in the tz database")
        }
        let now = try StageSupport.time(of: event.envelope)
        let duration = request.terms.resolvedDurationDays
        let criteria = SuccessCriteria.derive(from: request.qualification, durationDays: duration)
        // The kickoff stage proposes the same slot from the same "now", so day 1 of the
        // agreement is the business day after the kickoff.
        let slot = KickoffScheduler(lead: request.lead).slot(after: now, in: timeZone)
        let startDate = ProposedStart.date(after: slot)
        let renderer: AgreementRenderer
        do {
            renderer = try TemplateCache.shared.agreementRenderer(for: snapshot.templates.agreement)
        } catch {
            throw Refusal.never("bad_template", "artifacts/sales/current/pilot-agreement.md: \(error)")
        }
        let text = renderer.render(request: request, criteria: criteria, startDate: startDate)
        let path = StageSupport.path(event.subject, KickoffInvitation.agreementFilename)

        let state = PilotState(
            request: request, criteria: criteria, requestedAt: now, proposedStartDate: startDate, agreementPath: path,
            kickoffStart: slot.start, kickoffEnd: slot.end)
        let update = try StageSupport.update(state, context, status: .agreementSent)
        let generated = AgreementGenerated(request: request, criteria: criteria, agreementPath: path)
        return StageOutcome(
            events: [
                context.derived("pilot.agreement.generated", from: event.envelope, data: try data(of: generated, in: update.state)),
                StageSupport.crmUpdate("agreement_sent", from: event.envelope, note: "Pilot agreement sent to \(request.lead.company.name)", context),
            ],
            documents: [Document(path: path, text: text)],
            pilot: update)
    }

    /// `generated` as JSON, made from the state's JSON where it holds the same values (the
    /// request's lead, founder and terms, the criteria) through the same encoder: encoding
    /// them a second time was a seventh of the stage's own work. Members in the order the
    /// type's encoding writes them, so the event is the same to the byte.
    static func data(of generated: AgreementGenerated, in state: JSONValue) throws -> JSONValue {
        guard let stored = state.object, let criteria = stored[PilotState.CodingKeys.criteria.stringValue],
            let request = stored[PilotState.CodingKeys.request.stringValue]?.object,
            let lead = request["lead"], let founder = request["founder"], let terms = request["terms"]
        else { return try StageSupport.encode(generated) }
        return .object(JSONObject(uniqueMembers: [
            ("agreement_path", .string(generated.agreementPath)), ("criteria", criteria),
            ("duration_days", .int(Int64(generated.durationDays))), ("lead", lead), ("founder", founder), ("terms", terms),
        ]))
    }
}
