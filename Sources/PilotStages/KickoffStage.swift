import Foundation
import PilotDomain
import PilotJSON
import PilotRuntime
import PilotStore

/// `pilot.agreement.generated` → the kickoff invite (`.ics`) and email (`.eml`, agreement
/// attached), `calendar.invite`, `email.send`, `pilot.kickoff.scheduled`, `crm.update`.
struct KickoffStage: EventHandler {
    let workspace: Workspace

    func handle(_ event: CloudEvent, context: HandlerContext) throws -> HandlerOutcome {
        guard let record = context.pilot, record.status == PilotStatus.agreementSent.rawValue else {
            throw StageSupport.wrongState(
                "kickoff for \(event.subject) needs a pilot in agreement_sent, found \(context.pilot?.status ?? "no pilot")")
        }
        var state = try StageSupport.state(of: record)
        let agreement = try StageSupport.decode(AgreementGenerated.self, from: event)
        guard let timeZone = agreement.lead.timeZone else {
            throw HandlerRejection(reason: "unknown_timezone", detail: "lead timezone \(ThreadID.quoted(agreement.lead.timezone)) is not in the tz database")
        }
        let agreementText = try String(contentsOf: workspace.resolve(agreement.agreementPath), encoding: .utf8)
        // The same "now" as the agreement stage, so the slot is the one the agreement assumed.
        let invitation = KickoffInvitation(
            thread: event.subject, agreement: agreement, agreementText: agreementText, now: state.requestedAt,
            timeZone: timeZone, proposedStartDate: state.proposedStartDate)
        let icsPath = StageSupport.path(event.subject, "kickoff-invite.ics")
        let emlPath = StageSupport.path(event.subject, "kickoff-invite.eml")
        state.kickoffStart = invitation.slot.start
        state.kickoffEnd = invitation.slot.end

        let start = Timestamp.rfc3339(invitation.slot.start)
        let end = Timestamp.rfc3339(invitation.slot.end)
        let attendees = JSONValue.array(invitation.attendees.map { .string($0) })
        return HandlerOutcome(
            events: [
                StageSupport.derived("calendar.invite", from: event, data: [
                    "ics_path": .string(icsPath), "start": .string(start), "end": .string(end), "attendees": attendees,
                    "uid": .string(invitation.invite.uid), "kind": "kickoff",
                ]),
                StageSupport.emailSend(invitation.email, path: emlPath, kind: "kickoff_invite", from: event),
                StageSupport.derived("pilot.kickoff.scheduled", from: event,
                    data: try StageSupport.encode(invitation.scheduled(icsPath: icsPath, emlPath: emlPath))),
                StageSupport.crmUpdate("kickoff_scheduled", from: event, note: "Kickoff proposed for \(invitation.slot.localDescription)"),
            ],
            documents: [
                Document(path: icsPath, text: invitation.ics),
                Document(path: emlPath, bytes: invitation.eml),
            ],
            pilot: try StageSupport.record(state, from: record, thread: event.subject, stage: context.stage, status: .kickoffScheduled))
    }
}
