import Foundation
import PilotDomain
import PilotJSON
import PilotRuntime

/// `pilot.requested` → the customised agreement, `pilot.agreement.generated`, and
/// `crm.update` (`agreement_sent`).
struct AgreementStage: EventHandler {
    let templates: TemplateSource

    func handle(_ event: CloudEvent, context: HandlerContext) throws -> HandlerOutcome {
        if let existing = context.pilot {
            throw StageSupport.wrongState(
                "pilot \(event.subject) was already requested (status \(existing.status)); a thread runs one pilot")
        }
        let request = try StageSupport.decode(PilotRequest.self, from: event)
        guard let timeZone = request.lead.timeZone else {
            throw HandlerRejection(reason: "unknown_timezone", detail: "lead timezone \(ThreadID.quoted(request.lead.timezone)) is not in the tz database")
        }
        let now = try StageSupport.time(of: event)
        let duration = request.terms.resolvedDurationDays
        let criteria = SuccessCriteria.derive(from: request.qualification, durationDays: duration)
        // The kickoff stage proposes the same slot from the same "now", so day 1 of the
        // agreement is the business day after the kickoff.
        let slot = KickoffScheduler(lead: request.lead).slot(after: now, in: timeZone)
        let startDate = ProposedStart.date(after: slot)
        let renderer: AgreementRenderer
        do {
            renderer = try templates.agreementRenderer()
        } catch {
            throw HandlerRejection(reason: "bad_template", detail: "artifacts/sales/current/pilot-agreement.md: \(error)")
        }
        let text = renderer.render(request: request, criteria: criteria, startDate: startDate)
        let path = StageSupport.path(event.subject, KickoffInvitation.agreementFilename)

        let state = PilotState(
            request: request, criteria: criteria, requestedAt: now, proposedStartDate: startDate, agreementPath: path,
            kickoffStart: slot.start, kickoffEnd: slot.end)
        let generated = AgreementGenerated(request: request, criteria: criteria, agreementPath: path)
        return HandlerOutcome(
            events: [
                StageSupport.derived("pilot.agreement.generated", from: event, data: try StageSupport.encode(generated)),
                StageSupport.crmUpdate("agreement_sent", from: event, note: "Pilot agreement sent to \(request.lead.company.name)"),
            ],
            documents: [Document(path: path, text: text)],
            pilot: try StageSupport.record(state, from: nil, thread: event.subject, stage: context.stage, status: .agreementSent))
    }
}
