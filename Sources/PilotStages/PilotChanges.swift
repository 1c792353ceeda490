import Foundation
import PilotDomain
import PilotJSON
import PilotStageAPI

/// Changes to a running pilot, on the monitoring queue with the timers they affect:
/// `pilot.extended` moves the end (the daily timer reads the length each day, so it
/// runs on to the new end) and `pilot.cancelled` stops it (the timers in flight find a
/// cancelled pilot and do nothing). Each is applied whole or refused with a sentence.
enum PilotChanges {
    static func extended(_ event: TypedEvent<PilotExtended>, _ snapshot: PilotSnapshot, _ context: StageContext) throws -> StageOutcome {
        let record = try StageSupport.pilot(snapshot, for: event.envelope, needing: "pilot.requested")
        var state = try StageSupport.state(of: record)
        let thread = event.subject
        switch PilotStatus(rawValue: record.status) {
        case .agreementSent, .kickoffScheduled:
            throw StageSupport.notYet("extension of \(thread) before the pilot is signed (status \(record.status))")
        case .active:
            try notSettled(state, thread, "extended")
        default:
            throw StageSupport.wrongState("pilot \(thread) is \(record.status); only an active pilot can be extended")
        }
        let change = event.data
        let from = state.resolvedDuration
        let to = from + change.days
        guard to <= LifecyclePolicy.maxPilotDays else {
            throw Refusal.never("extension_limit",
                "extending \(thread) by \(change.days) days would make it \(to) days; a pilot runs at most \(LifecyclePolicy.maxPilotDays) days in all (it has \(from))")
        }
        let cause = event.envelope
        let now = try StageSupport.time(of: cause)
        let number = (state.extensions ?? 0) + 1
        let amendment = AgreementAmendment(
            thread: thread, request: state.request, number: number, startDate: state.pilotStartDate, fromDays: from,
            days: change.days, reason: change.reason, requestedBy: change.requestedBy, now: now)
        let mail = StageSupport.mail(
            amendment.email, path: StageSupport.path(thread, "pilot-agreement-amendment-\(number).eml"),
            kind: "agreement_amendment", from: cause, context)
        state.durationDays = to
        state.extensions = number
        state.extendedDays = (state.extendedDays ?? 0) + change.days
        try state.record("extended", by: change.requestedBy, what: "Extended by \(change.days) days: \(from) → \(to) days", why: change.reason, event: cause)
        return StageOutcome(
            events: [
                mail.event,
                StageSupport.crmUpdate("pilot_extended", from: cause, note: "Extended by \(change.days) days to \(to): \(change.reason)", context),
            ],
            documents: [Document(path: StageSupport.path(thread, AgreementAmendment.fileName(number)), text: amendment.text), mail.document],
            pilot: try StageSupport.update(state, context, status: .active))
    }

    static func cancelled(_ event: TypedEvent<PilotCancelled>, _ snapshot: PilotSnapshot, _ context: StageContext) throws -> StageOutcome {
        let record = try StageSupport.pilot(snapshot, for: event.envelope, needing: "pilot.requested")
        var state = try StageSupport.state(of: record)
        let thread = event.subject
        switch PilotStatus(rawValue: record.status) {
        case .agreementSent, .kickoffScheduled:
            break
        case .active:
            try notSettled(state, thread, "cancelled")
        default:
            let why = PilotStatus.endedEarly.contains(record.status)
                ? SignatureGate.notWaiting(record.status, state) : "it has run its course (status \(record.status))"
            throw StageSupport.wrongState("pilot \(thread) cannot be cancelled: " + why)
        }
        let change = event.data
        let cause = event.envelope
        let now = try StageSupport.time(of: cause)
        let mail = StageSupport.mail(
            PilotCancellation.email(thread: thread, request: state.request, reason: change.reason, now: now),
            path: StageSupport.path(thread, "cancellation.eml"), kind: "cancellation", from: cause, context)
        state.cancelledAt = now
        try state.record("cancelled", by: change.cancelledBy, what: "Cancelled (was \(record.status))", why: change.reason, event: cause)
        context.log.info("pilot cancelled", ["was": .string(record.status)])
        return StageOutcome(
            events: [
                mail.event,
                context.derived("actions.skip_remaining", from: cause, data: ["reason": "cancelled", "action": "sales:pilot"]),
                context.derived("deal.lost", from: cause, data: ["reason": "cancelled", "failure_reasons": [.string(change.reason)]]),
                StageSupport.crmUpdate("deal_lost", from: cause, note: "Pilot cancelled by \(change.cancelledBy.name): \(change.reason)", context),
            ],
            documents: [mail.document],
            pilot: try StageSupport.update(state, context, status: .cancelled))
    }

    /// Refuses a change once the last day's tick has asked for the results.
    private static func notSettled(_ state: PilotState, _ thread: String, _ verb: String) throws {
        if let day = state.resultsRequestedDay {
            throw StageSupport.wrongState("pilot \(thread) reached its last day (day \(day)) and its results are being compiled; it can no longer be \(verb)")
        }
    }
}
