import Contracts
import Foundation
import PilotDomain
import PilotJSON
import PilotStageAPI

/// `pilot.agreement.generated` → the kickoff invite (`.ics`) and email (`.eml`, agreement
/// attached), `calendar.invite`, `email.send`, `pilot.kickoff.scheduled`, `crm.update`.
enum KickoffStage {
    static let definition = StageDefinition(PilotStage.kickoff.rawValue) { stage in
        stage.on(
            "pilot.agreement.generated", as: AgreementGenerated.self,
            needs: SnapshotNeeds(documents: [KickoffInvitation.agreementFilename]), generated)
    }

    static func generated(_ event: TypedEvent<AgreementGenerated>, _ snapshot: PilotSnapshot, _ context: StageContext) throws -> StageOutcome {
        let record = try StageSupport.pilot(snapshot, for: event.envelope, needing: "pilot.requested")
        guard record.status == PilotStatus.agreementSent.rawValue else {
            throw StageSupport.wrongState("kickoff for \(event.subject) needs a pilot in agreement_sent, found \(record.status)")
        }
        var state = try StageSupport.state(of: record)
        let agreement = event.data
        guard let timeZone = agreement.lead.timeZone else {
            throw Refusal.never("unknown_timezone", "lead timezone \(ThreadID.quoted(agreement.lead.timezone)) is not in the tz database")
        }
        guard let agreementBytes = snapshot.documents[KickoffInvitation.agreementFilename] else {
            // Written with the pilot's state by the agreement stage, so this is a lost file: retried, then dead-lettered.
            throw MissingDocument(path: agreement.agreementPath)
        }
        // The same "now" as the agreement stage, so the slot is the one the agreement assumed.
        let invitation = KickoffInvitation(
            thread: event.subject, agreement: agreement, agreementText: String(decoding: agreementBytes, as: UTF8.self),
            now: state.requestedAt, timeZone: timeZone, proposedStartDate: state.proposedStartDate)
        let icsPath = StageSupport.path(event.subject, "kickoff-invite.ics")
        let emlPath = StageSupport.path(event.subject, "kickoff-invite.eml")
        state.kickoffStart = invitation.slot.start
        state.kickoffEnd = invitation.slot.end

        let cause = event.envelope
        let attendees = JSONValue.array(invitation.attendees.map { .string($0) })
        let mail = StageSupport.mail(invitation.email, path: emlPath, kind: "kickoff_invite", from: cause, context)
        return StageOutcome(
            events: [
                context.derived("calendar.invite", from: cause, data: [
                    "ics_path": .string(icsPath), "start": .string(EventTime.string(invitation.slot.start)),
                    "end": .string(EventTime.string(invitation.slot.end)), "attendees": attendees,
                    "uid": .string(invitation.invite.uid), "kind": "kickoff",
                ]),
                mail.event,
                context.derived("pilot.kickoff.scheduled", from: cause,
                    data: try StageSupport.encode(invitation.scheduled(icsPath: icsPath, emlPath: emlPath))),
                StageSupport.crmUpdate("kickoff_scheduled", from: cause, note: "Kickoff proposed for \(invitation.slot.localDescription)", context),
            ],
            documents: [
                Document(path: icsPath, text: invitation.ics),
                mail.document,
            ],
            pilot: try StageSupport.update(state, context, status: .kickoffScheduled))
    }
}

/// A document an earlier stage wrote is not there.
struct MissingDocument: Error, CustomStringConvertible {
    var path: String
    var description: String { "\(path) is missing" }
}
