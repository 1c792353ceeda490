import Foundation
import PilotDomain
import PilotJSON
import PilotRuntime
import PilotStore

/// The human gate, on the monitoring queue: `pilot.signed` activates the pilot (writing
/// the final agreement and its email when the terms were amended) and starts the daily
/// timer; `pilot.declined` loses the deal.
struct SignatureGate {
    let templates: TemplateSource

    func signed(_ event: CloudEvent, _ record: PilotRecord, _ context: HandlerContext) throws -> HandlerOutcome {
        var state = try StageSupport.state(of: record)
        guard [PilotStatus.agreementSent.rawValue, PilotStatus.kickoffScheduled.rawValue].contains(record.status) else {
            throw StageSupport.wrongState("pilot \(event.subject) cannot be signed in status \(record.status) (signed twice, or declined)")
        }
        let signed = try StageSupport.decode(PilotSigned.self, from: event)
        let now = try StageSupport.time(of: event)
        var documents: [Document] = []
        var events: [OutgoingEvent] = []
        var durationDays = state.request.terms.resolvedDurationDays
        if let amendments = signed.amendments, !amendments.isEmpty {
            let renderer: FinalAgreementRenderer
            do {
                renderer = try FinalAgreementRenderer(template: templates.agreement())
            } catch {
                throw HandlerRejection(reason: "bad_template", detail: "artifacts/sales/current/pilot-agreement.md: \(error)")
            }
            let final = renderer.render(
                request: state.request, proposedCriteria: state.criteria, proposedStartDate: state.proposedStartDate, signed: signed)
            let finalPath = StageSupport.path(event.subject, FinalAgreementEmail.agreementFilename)
            let emlPath = StageSupport.path(event.subject, "final-agreement.eml")
            let email = FinalAgreementEmail.message(thread: event.subject, request: state.request, signed: signed, final: final, now: now)
            documents = [Document(path: finalPath, text: final.text), Document(path: emlPath, bytes: email.serialized())]
            events.append(StageSupport.emailSend(email, path: emlPath, kind: "final_agreement", from: event))
            // The signed terms replace the proposed ones for everything that follows
            // (the daily evaluation and the ROI use the amended pricing and duration).
            state.criteria = final.plan.criteria
            state.request.terms = final.plan.terms
            durationDays = final.plan.durationDays
        }
        state.signedAt = signed.signedAt
        state.signedBy = signed.signedBy
        state.startDate = signed.startDate
        state.durationDays = durationDays
        state.signatureEventID = event.id
        events.append(StageSupport.crmUpdate(
            "pilot_active", from: event, note: "Signed by \(signed.signedBy.name); \(durationDays) days from \(signed.startDate)"))
        events.append(DailyTick.tick(day: 1, after: event, scheduledFor: now))
        return HandlerOutcome(
            events: events, documents: documents,
            pilot: try StageSupport.record(state, from: record, thread: event.subject, stage: context.stage, status: .active))
    }

    func declined(_ event: CloudEvent, _ record: PilotRecord, _ context: HandlerContext) throws -> HandlerOutcome {
        guard [PilotStatus.agreementSent.rawValue, PilotStatus.kickoffScheduled.rawValue].contains(record.status) else {
            throw StageSupport.wrongState("pilot \(event.subject) cannot be declined in status \(record.status)")
        }
        var state = try StageSupport.state(of: record)
        let declined = try StageSupport.decode(PilotDeclined.self, from: event)
        state.declinedReason = declined.reason
        return HandlerOutcome(
            events: [
                StageSupport.derived("deal.lost", from: event, data: [
                    "reason": "negotiation_failed", "failure_reasons": [.string(declined.reason)],
                ]),
                StageSupport.crmUpdate("deal_lost", from: event, note: "Pilot declined: \(declined.reason)"),
            ],
            pilot: try StageSupport.record(state, from: record, thread: event.subject, stage: context.stage, status: .declined))
    }
}
