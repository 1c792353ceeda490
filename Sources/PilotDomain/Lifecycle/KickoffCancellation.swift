import Foundation

/// A cancelled kickoff: the `.ics` with `METHOD:CANCEL`, `STATUS:CANCELLED`, the UID of
/// the invite and a higher SEQUENCE (RFC 5546 §3.2.5), and the e-mail carrying it as
/// `text/calendar; method=CANCEL`.
public struct KickoffCancellation: Hashable, Sendable {
    public var invite: ICalendarInvite
    public var ics: String
    public var email: MIMEMessage
    /// Everyone the invite went to.
    public var attendees: [String]

    public init(thread: String, agreement: AgreementGenerated, slot: KickoffSlot, sequence: Int, reason: String?,
        now: Date)
    {
        let people = KickoffPeople(lead: agreement.lead, founder: agreement.founder)
        let company = MailHeader.sanitized(agreement.lead.company.name)
        let why = reason.map { "\n\nWhy: " + MailHeader.sanitized($0) } ?? ""
        invite = ICalendarInvite(uid: ICalendarInvite.uid(thread: thread, kind: "kickoff"), sequence: sequence,
            stamp: now, start: slot.start, end: slot.end, timeZone: slot.timeZone,
            summary: agreement.lead.company.name + " pilot kickoff",
            description: "The kickoff call is cancelled." + why,
            organizer: agreement.founder,
            attendees: people.invitees.map { ICalendarInvite.Attendee($0.person) }
                + [ICalendarInvite.Attendee(people.founder, role: .chair, status: .accepted, rsvp: false)])
        invite.method = .cancel
        ics = invite.render()
        var lines = [Greeting.line(people.invitees.map(\.name)), ""]
        lines.append("The kickoff call for the pilot at \(company), planned for \(slot.localDescription), is cancelled."
            + " The attached cancellation removes it from your calendar." + why)
        lines.append("")
        lines.append("I will come back to you with a new time.")
        lines.append("")
        lines += ["Best regards,", MailHeader.sanitized(agreement.founder.name), agreement.founder.email]
        let kind = "kickoff-cancel-\(sequence)"
        email = MIMEMessage(from: MailAddress(agreement.founder), to: people.recipients,
            subject: company + " pilot kickoff cancelled: " + slot.shortDescription, date: now,
            messageID: MIMEMessage.messageID(thread: thread, kind: kind),
            boundary: MIMEMessage.boundary(thread: thread, kind: kind),
            parts: [.plainText(lines.joined(separator: "\n") + "\n"), .calendar(ics, filename: "cancel.ics", method: .cancel)])
        attendees = people.invitees.map(\.person.email) + [people.founder.email]
    }
}
