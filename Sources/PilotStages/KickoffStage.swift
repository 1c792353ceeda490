import Contracts
import Foundation
import PilotDomain
import PilotJSON
import PilotStageAPI

/// `pilot.agreement.generated` → the kickoff invite (`.ics`) and email (`.eml`, agreement
/// attached), `calendar.invite`, `email.send`, `pilot.kickoff.scheduled`, `crm.update`, and
/// the first timer of the signature chase. `pilot.kickoff.reschedule` and
/// `pilot.kickoff.cancel` change the meeting afterwards (`KickoffChanges`).
enum KickoffStage {
    static func definition(_ links: BuyerLinks?) -> StageDefinition {
        StageDefinition(PilotStage.kickoff.rawValue) { stage in
        stage.on(
            "pilot.agreement.generated", as: AgreementGenerated.self,
            needs: SnapshotNeeds(documents: [KickoffInvitation.agreementFilename])) { event, snapshot, context in
            try generated(event, snapshot, context, links: links)
        }
        stage.on(
            "pilot.kickoff.reschedule", as: KickoffReschedule.self,
            needs: SnapshotNeeds(documents: [KickoffInvitation.agreementFilename]), KickoffChanges.reschedule)
        stage.on("pilot.kickoff.cancel", as: KickoffCancel.self, KickoffChanges.cancel)
        }
    }

    static func generated(_ event: TypedEvent<AgreementGenerated>, _ snapshot: PilotSnapshot, _ context: StageContext, links: BuyerLinks? = nil) throws -> StageOutcome {
        let record = try StageSupport.pilot(snapshot, for: event.envelope, needing: "pilot.requested")
        var state = try StageSupport.state(of: record)
        // The signature travels on another queue and may be handled first: a signed pilot
        // still gets its kickoff, and keeps its status. A pilot declined or cancelled
        // before its invite needs none.
        let status: PilotStatus
        switch PilotStatus(rawValue: record.status) {
        case .agreementSent:
            status = .kickoffScheduled
        case .active where state.kickoffSequence == nil:
            status = .active
        case let other? where PilotStatus.endedEarly.contains(other.rawValue) && state.kickoffSequence == nil:
            context.log.info("kickoff not sent: the deal ended first", ["status": .string(record.status)])
            return StageOutcome()
        default:
            throw StageSupport.wrongState("the kickoff of \(event.subject) was already sent (status \(record.status)); a pilot has one kickoff invite")
        }
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
            now: state.requestedAt, timeZone: timeZone, proposedStartDate: state.proposedStartDate,
            pageURL: links?.url(thread: event.subject, from: state.requestedAt))
        let icsPath = StageSupport.path(event.subject, "kickoff-invite.ics")
        let emlPath = StageSupport.path(event.subject, "kickoff-invite.eml")
        state.kickoffStart = invitation.slot.start
        state.kickoffEnd = invitation.slot.end
        state.kickoffSequence = invitation.invite.sequence

        let cause = event.envelope
        let mail = StageSupport.mail(invitation.email, path: emlPath, kind: "kickoff_invite", from: cause, context)
        var events = [
            KickoffChanges.calendarInvite(invitation.invite, icsPath: icsPath, attendees: invitation.attendees, from: cause, context),
            mail.event,
            context.derived("pilot.kickoff.scheduled", from: cause,
                data: try StageSupport.encode(invitation.scheduled(icsPath: icsPath, emlPath: emlPath))),
            StageSupport.crmUpdate("kickoff_scheduled", from: cause, note: "Kickoff proposed for \(invitation.slot.localDescription)", context),
        ]
        if status == .kickoffScheduled {
            events.append(SignatureChase.tick(day: 1, after: cause, context))
        }
        return StageOutcome(
            events: events,
            documents: [
                Document(path: icsPath, text: invitation.ics),
                mail.document,
            ],
            pilot: try StageSupport.update(state, context, status: status))
    }
}

/// A document an earlier stage wrote is not there.
struct MissingDocument: Error, CustomStringConvertible {
    var path: String
    var description: String { "\(path) is missing" }
}
