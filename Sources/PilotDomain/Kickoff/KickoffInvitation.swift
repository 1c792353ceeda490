import Foundation

/// Everything the kickoff stage writes and announces for one pilot: the
/// `.ics`, the `.eml` carrying it and the agreement, and the facts for
/// `pilot.kickoff.scheduled`. A pure function of its inputs: the same thread,
/// data, agreement and `now` give byte-identical files.
public struct KickoffInvitation: Hashable, Sendable {
    /// The meeting.
    public var slot: KickoffSlot
    /// The calendar request.
    public var invite: ICalendarInvite
    /// `kickoff-invite.ics`.
    public var ics: String
    /// The e-mail.
    public var email: MIMEMessage
    /// `kickoff-invite.eml`.
    public var eml: [UInt8]
    /// Everyone invited, lead's technical team first, then the founder; unique.
    public var attendees: [String]

    /// The file name the agreement travels under.
    public static let agreementFilename = "pilot-agreement-custom.md"

    /// The invitation for `thread`'s pilot described by `agreement` (the
    /// `pilot.agreement.generated` data), with the agreement's text attached.
    ///
    /// - Parameters:
    ///   - now: the time the handled event stands for; sets `DTSTAMP`, `Date:` and the slot search.
    ///   - timeZone: the lead's zone (`agreement.lead.timezone`, resolved by the caller).
    ///   - scheduler: how the slot is chosen; by default the lead's business hours,
    ///     10:00 or later, one business day's notice.
    ///   - proposedStartDate: day 1 as the agreement proposes it, for the timeline; optional.
    ///   - providerName: our company's name; by default the founder's e-mail domain.
    ///   - pageURL: the buyer's pilot page, named in the e-mail when pilot-web is published.
    ///   - move: when the kickoff is moved: the new slot, the invite's new SEQUENCE and why;
    ///     the UID stays the same, so calendars update the meeting instead of adding one.
    public init(thread: String, agreement: AgreementGenerated, agreementText: String, now: Date, timeZone: TimeZone,
        scheduler: KickoffScheduler? = nil, proposedStartDate: CalendarDate? = nil, providerName: String? = nil,
        move: Move? = nil, pageURL: String? = nil)
    {
        let scheduler = scheduler ?? KickoffScheduler(lead: agreement.lead)
        let slot = move?.slot ?? scheduler.slot(after: now, in: timeZone)
        let people = KickoffPeople(lead: agreement.lead, founder: agreement.founder)
        let provider = providerName ?? AgreementRenderer.defaultProviderName(agreement.founder)
        let agenda = KickoffAgenda(agreement: agreement, proposedStartDate: proposedStartDate)
        // Each sending is its own message; the meeting (the UID) stays the same.
        let mailKind = move.map { "kickoff-\($0.sequence)" } ?? "kickoff"
        let contentID = "agreement." + MIMEMessage.messageID(thread: thread, kind: mailKind)

        let invite = ICalendarInvite(uid: ICalendarInvite.uid(thread: thread, kind: "kickoff"), sequence: move?.sequence ?? 0, stamp: now,
            start: slot.start, end: slot.end, timeZone: timeZone,
            summary: agreement.lead.company.name + " pilot kickoff",
            description: agenda.calendarDescription(provider: provider),
            organizer: agreement.founder,
            attendees: people.invitees.map { ICalendarInvite.Attendee($0.person) }
                + [ICalendarInvite.Attendee(people.founder, role: .chair, status: .accepted, rsvp: false)],
            attachments: [ICalendarInvite.Attachment(uri: "cid:" + contentID, mediaType: "text/markdown")])
        let ics = invite.render()

        let body = KickoffEmailBody(agreement: agreement, people: people, slot: slot, agenda: agenda,
            provider: provider, move: move, pageURL: pageURL).text
        let email = MIMEMessage(from: MailAddress(agreement.founder), to: people.recipients,
            subject: agreement.lead.company.name + (move == nil ? " pilot kickoff: " : " pilot kickoff moved to ")
                + slot.shortDescription, date: now,
            messageID: MIMEMessage.messageID(thread: thread, kind: mailKind),
            boundary: MIMEMessage.boundary(thread: thread, kind: mailKind),
            parts: [
                .plainText(body),
                .calendar(ics),
                .attachment(filename: Self.agreementFilename, mediaType: "text/markdown", text: agreementText,
                    contentID: contentID),
            ])
        self.slot = slot
        self.invite = invite
        self.ics = ics
        self.email = email
        eml = email.serialized()
        attendees = people.invitees.map(\.person.email) + [people.founder.email]
    }

    /// The `pilot.kickoff.scheduled` data for files written to `icsPath` and `emlPath`.
    public func scheduled(icsPath: String, emlPath: String) -> KickoffScheduled {
        KickoffScheduled(start: slot.start, end: slot.end, timezone: slot.timeZone.identifier, attendees: attendees,
            icsPath: icsPath, emlPath: emlPath, sequence: invite.sequence)
    }

    /// A kickoff moved to another slot.
    public struct Move: Hashable, Sendable {
        public var slot: KickoffSlot
        /// The slot it moves from, named in the e-mail.
        public var previous: KickoffSlot
        /// One higher than the last invite's.
        public var sequence: Int
        public var reason: String?

        public init(slot: KickoffSlot, previous: KickoffSlot, sequence: Int, reason: String?) {
            self.slot = slot
            self.previous = previous
            self.sequence = sequence
            self.reason = reason
        }
    }
}

/// Who is invited: the lead's technical team (everyone, when nobody is marked
/// technical), each address once and never the founder twice.
struct KickoffPeople {
    let invitees: [Contact]
    let founder: Person

    init(lead: Lead, founder: Person) {
        var seen: Set<String> = [founder.email.lowercased()]
        invitees = lead.kickoffContacts.filter { seen.insert($0.email.lowercased()).inserted }
        self.founder = founder
    }

    /// The e-mail's `To`: the invitees; the founder alone when the lead's only
    /// contact is the founder's own address, so the header is never empty.
    var recipients: [MailAddress] {
        invitees.isEmpty ? [MailAddress(founder)] : invitees.map { MailAddress($0.person) }
    }
}
