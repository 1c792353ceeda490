import Contracts
import Foundation
import PilotDomain
import PilotJSON
import PilotStageAPI

/// Moving or calling off the kickoff. Each change sends the meeting again under the
/// invite's UID with a SEQUENCE one higher, so calendars update the meeting they hold
/// (RFC 5545 §3.8.7.4, RFC 5546 §2.1.4): a new `kickoff-invite.ics` (`METHOD:REQUEST`)
/// for a move, `kickoff-cancel.ics` (`METHOD:CANCEL`) for a cancellation.
enum KickoffChanges {
    static func reschedule(_ event: TypedEvent<KickoffReschedule>, _ snapshot: PilotSnapshot, _ context: StageContext) throws -> StageOutcome {
        var (state, status, current) = try changeable(event.envelope, snapshot, verb: "moved")
        let cause = event.envelope
        let thread = event.subject
        let now = try StageSupport.time(of: cause)
        let timeZone = try Evaluations.timeZone(state)
        let scheduler = KickoffScheduler(lead: state.request.lead)
        let slot: KickoffSlot
        if let start = event.data.start {
            guard start > now else {
                throw StageSupport.wrongState("the new kickoff start \(EventTime.string(start)) for \(thread) is not after the request (\(cause.time))")
            }
            slot = KickoffSlot(start: start, end: start.addingTimeInterval(current.end.timeIntervalSince(current.start)), timeZone: timeZone)
        } else {
            // The next business slot that is not the one being moved away from.
            let next = scheduler.slot(after: now, in: timeZone)
            slot = next.start == current.start ? scheduler.slot(after: current.end, in: timeZone) : next
        }
        guard let agreementBytes = snapshot.documents[KickoffInvitation.agreementFilename] else {
            throw MissingDocument(path: state.agreementPath)
        }
        let sequence = (state.kickoffSequence ?? 0) + 1
        let agreement = AgreementGenerated(request: state.request, criteria: state.criteria, agreementPath: state.agreementPath)
        let invitation = KickoffInvitation(
            thread: thread, agreement: agreement, agreementText: String(decoding: agreementBytes, as: UTF8.self),
            now: now, timeZone: timeZone, proposedStartDate: state.proposedStartDate,
            move: KickoffInvitation.Move(slot: slot, previous: current, sequence: sequence, reason: event.data.reason))
        let icsPath = StageSupport.path(thread, "kickoff-invite.ics")
        let emlPath = StageSupport.path(thread, "kickoff-reschedule-\(sequence).eml")
        let mail = StageSupport.mail(invitation.email, path: emlPath, kind: "kickoff_reschedule", from: cause, context)
        state.kickoffStart = slot.start
        state.kickoffEnd = slot.end
        state.kickoffSequence = sequence
        state.kickoffCancelled = nil
        try state.record("kickoff_rescheduled", by: event.data.requestedBy,
            what: "Kickoff moved from \(current.localDescription) to \(slot.localDescription) (SEQUENCE \(sequence))",
            why: event.data.reason, event: cause)
        return StageOutcome(
            events: [
                calendarInvite(invitation.invite, icsPath: icsPath, attendees: invitation.attendees, from: cause, context),
                mail.event,
                context.derived("pilot.kickoff.scheduled", from: cause,
                    data: try StageSupport.encode(invitation.scheduled(icsPath: icsPath, emlPath: emlPath))),
            ],
            documents: [Document(path: icsPath, text: invitation.ics), mail.document],
            pilot: try StageSupport.update(state, context, status: status))
    }

    static func cancel(_ event: TypedEvent<KickoffCancel>, _ snapshot: PilotSnapshot, _ context: StageContext) throws -> StageOutcome {
        var (state, status, current) = try changeable(event.envelope, snapshot, verb: "cancelled")
        let cause = event.envelope
        let thread = event.subject
        if state.kickoffCancelled == true {
            throw StageSupport.wrongState("the kickoff of \(thread) is already cancelled; reschedule it to invite again")
        }
        let now = try StageSupport.time(of: cause)
        let sequence = (state.kickoffSequence ?? 0) + 1
        let agreement = AgreementGenerated(request: state.request, criteria: state.criteria, agreementPath: state.agreementPath)
        let cancellation = KickoffCancellation(
            thread: thread, agreement: agreement, slot: current, sequence: sequence, reason: event.data.reason, now: now)
        let icsPath = StageSupport.path(thread, "kickoff-cancel.ics")
        let mail = StageSupport.mail(
            cancellation.email, path: StageSupport.path(thread, "kickoff-cancel-\(sequence).eml"), kind: "kickoff_cancel",
            from: cause, context)
        state.kickoffSequence = sequence
        state.kickoffCancelled = true
        try state.record("kickoff_cancelled", by: event.data.requestedBy,
            what: "Kickoff of \(current.localDescription) cancelled (SEQUENCE \(sequence))", why: event.data.reason, event: cause)
        return StageOutcome(
            events: [
                calendarInvite(cancellation.invite, icsPath: icsPath, attendees: cancellation.attendees, from: cause, context),
                mail.event,
            ],
            documents: [Document(path: icsPath, text: cancellation.ics), mail.document],
            pilot: try StageSupport.update(state, context, status: status))
    }

    /// The pilot's state, status and current kickoff slot, or the verdict on a change
    /// that comes too early (before the invite) or too late (the meeting took place, the
    /// deal ended).
    private static func changeable(_ event: CloudEvent, _ snapshot: PilotSnapshot, verb: String) throws -> (PilotState, PilotStatus, KickoffSlot) {
        let record = try StageSupport.pilot(snapshot, for: event, needing: "pilot.requested")
        let state = try StageSupport.state(of: record)
        let thread = event.subject
        guard let status = PilotStatus(rawValue: record.status), [.agreementSent, .kickoffScheduled, .active].contains(status) else {
            throw StageSupport.wrongState("the kickoff of \(thread) cannot be \(verb): the pilot is \(record.status)")
        }
        let invited = state.kickoffSequence != nil || status == .kickoffScheduled
        guard invited, let start = state.kickoffStart, let end = state.kickoffEnd else {
            throw StageSupport.notYet("the kickoff of \(thread) cannot be \(verb) before its invite is sent")
        }
        let timeZone = try Evaluations.timeZone(state)
        let current = KickoffSlot(start: start, end: end, timeZone: timeZone)
        if state.kickoffCancelled != true, try StageSupport.time(of: event) >= start {
            throw StageSupport.wrongState("the kickoff of \(thread) took place on \(current.localDescription); it can no longer be \(verb)")
        }
        return (state, status, current)
    }

    /// `calendar.invite` for an `.ics` written to `icsPath`.
    static func calendarInvite(_ invite: ICalendarInvite, icsPath: String, attendees: [String], from cause: CloudEvent, _ context: StageContext) -> OutgoingEvent {
        context.derived("calendar.invite", from: cause, data: [
            "ics_path": .string(icsPath), "start": .string(EventTime.string(invite.start)),
            "end": .string(EventTime.string(invite.end)), "attendees": .array(attendees.map { .string($0) }),
            "uid": .string(invite.uid), "kind": "kickoff", "sequence": .int(Int64(invite.sequence)),
            "method": .string(invite.method.rawValue),
        ])
    }
}
