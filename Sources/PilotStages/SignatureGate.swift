import Contracts
import Foundation
import PilotDomain
import PilotJSON
import PilotStageAPI

/// The human gate, on the monitoring queue: `pilot.signed` activates the pilot (writing
/// the final agreement and its email when the terms were amended) and starts the daily
/// timer; `pilot.declined` loses the deal.
enum SignatureGate {
    static let awaitingSignature = [PilotStatus.agreementSent.rawValue, PilotStatus.kickoffScheduled.rawValue]

    static func signed(_ event: TypedEvent<PilotSigned>, _ snapshot: PilotSnapshot, _ context: StageContext) throws -> StageOutcome {
        let record = try StageSupport.pilot(snapshot, for: event.envelope, needing: "pilot.requested")
        var state = try StageSupport.state(of: record)
        guard awaitingSignature.contains(record.status) else {
            throw StageSupport.wrongState("pilot \(event.subject) cannot be signed: " + notWaiting(record.status, state))
        }
        let signed = event.data
        let cause = event.envelope
        let now = try StageSupport.time(of: cause)
        var documents: [Document] = []
        var events: [OutgoingEvent] = []
        var durationDays = state.request.terms.resolvedDurationDays
        if let amendments = signed.amendments, !amendments.isEmpty {
            let renderer: FinalAgreementRenderer
            do {
                renderer = FinalAgreementRenderer(sharing: try TemplateCache.shared.agreementRenderer(for: snapshot.templates.agreement))
            } catch {
                throw Refusal.never("bad_template", "artifacts/sales/current/pilot-agreement.md: \(error)")
            }
            let final = renderer.render(
                request: state.request, proposedCriteria: state.criteria, proposedStartDate: state.proposedStartDate, signed: signed)
            let finalPath = StageSupport.path(event.subject, FinalAgreementEmail.agreementFilename)
            let emlPath = StageSupport.path(event.subject, "final-agreement.eml")
            let email = FinalAgreementEmail.message(thread: event.subject, request: state.request, signed: signed, final: final, now: now)
            let mail = StageSupport.mail(email, path: emlPath, kind: "final_agreement", from: cause, context)
            documents = [Document(path: finalPath, text: final.text), mail.document]
            events.append(mail.event)
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
        try state.record("signed", by: signed.signedBy, what: "Signed (\(signed.method)); \(durationDays) days from \(signed.startDate)", event: cause)
        events.append(StageSupport.crmUpdate(
            "pilot_active", from: cause, note: "Signed by \(signed.signedBy.name); \(durationDays) days from \(signed.startDate)", context))
        events.append(DailyTick.tick(day: 1, after: cause, context))
        return StageOutcome(events: events, documents: documents, pilot: try StageSupport.update(state, context, status: .active))
    }

    static func declined(_ event: TypedEvent<PilotDeclined>, _ snapshot: PilotSnapshot, _ context: StageContext) throws -> StageOutcome {
        let record = try StageSupport.pilot(snapshot, for: event.envelope, needing: "pilot.requested")
        var state = try StageSupport.state(of: record)
        guard awaitingSignature.contains(record.status) else {
            throw StageSupport.wrongState("pilot \(event.subject) cannot be declined: " + notWaiting(record.status, state))
        }
        let reason = event.data.reason
        state.declinedReason = reason
        try state.record("declined", by: nil, what: "Declined by the lead", why: reason, event: event.envelope)
        return StageOutcome(
            events: [
                context.derived("deal.lost", from: event.envelope, data: [
                    "reason": "negotiation_failed", "failure_reasons": [.string(reason)],
                ]),
                StageSupport.crmUpdate("deal_lost", from: event.envelope, note: "Pilot declined: \(reason)", context),
            ],
            pilot: try StageSupport.update(state, context, status: .declined))
    }

    /// Why a pilot in `status` no longer waits for a signature, in a sentence.
    static func notWaiting(_ status: String, _ state: PilotState) -> String {
        switch PilotStatus(rawValue: status) {
        case .expired:
            let when = state.expiredAt.map { " on " + EventTime.string($0) } ?? ""
            let reminders = state.signatureReminders.map { " after \($0) reminder\($0 == 1 ? "" : "s")" } ?? ""
            return "the offer expired\(when)\(reminders), with no signature within its expiry period; a new pilot needs a new pilot.requested"
        case .cancelled:
            return "the pilot was cancelled" + (state.cancelledAt.map { " on " + EventTime.string($0) } ?? "")
        case .declined:
            return "the lead declined it" + (state.declinedReason.map { " (\($0))" } ?? "")
        default:
            return "it is already \(status) (signed twice?)"
        }
    }
}
