import Foundation

/// A 30-minute check-in call for a week with criteria at risk: the `.ics`
/// (UID `checkin-week-N-<thread>@pilot-worker`, so a re-sent invite updates the
/// first) and the e-mail carrying it. The slot comes from `KickoffScheduler`
/// (the lead's business hours, one business day's notice) given `now`.
/// Invited: the lead's technical team (everyone when nobody is marked
/// technical) and the founder as chair.
public struct CheckInInvitation: Hashable, Sendable {
    public var slot: KickoffSlot
    public var invite: ICalendarInvite
    /// `checkin-week-N.ics`.
    public var ics: String
    public var email: MIMEMessage
    /// `checkin-week-N.eml`.
    public var eml: [UInt8]
    /// Everyone invited: the lead's team, then the founder.
    public var attendees: [String]

    /// `checkin-week-2`: the invite's and the e-mail's kind.
    public static func kind(week: Int) -> String { "checkin-week-\(week)" }

    /// The check-in for `week` of `thread`'s pilot, scheduled after `now` in the lead's `timeZone`.
    public init(thread: String, week: Int, evaluation: PilotEvaluation, now: Date, timeZone: TimeZone,
        scheduler: KickoffScheduler? = nil, providerName: String? = nil)
    {
        let request = evaluation.request
        let scheduler = scheduler ?? KickoffScheduler(lead: request.lead)
        let slot = scheduler.slot(after: now, in: timeZone)
        let people = KickoffPeople(lead: request.lead, founder: request.founder)
        let provider = providerName ?? AgreementRenderer.defaultProviderName(request.founder)
        let kind = Self.kind(week: week)
        let company = MailHeader.sanitized(request.lead.company.name)

        var agenda = ["Check-in on week \(week) of the \(evaluation.durationDays)-day pilot of \(provider) at \(company).",
            "", "Agenda", "", "1. The criteria at risk and their numbers"]
        let atRisk = evaluation.atRisk
        agenda += atRisk.map { "   - " + CriterionSentence($0, evaluation).atRisk }
        agenda.append("2. Causes, and what we change")
        agenda += atRisk.map { "   - " + RemedyText.sentence(for: $0.criterion, name: MetricText.name($0.criterion,
            in: evaluation)) }
        agenda.append("3. Open issues and next steps until day \(evaluation.durationDays)")
        let description = agenda.joined(separator: "\n")

        let invite = ICalendarInvite(uid: ICalendarInvite.uid(thread: thread, kind: kind), stamp: now,
            start: slot.start, end: slot.end, timeZone: timeZone,
            summary: request.lead.company.name + " pilot check-in (week \(week))", description: description,
            organizer: request.founder,
            attendees: people.invitees.map { ICalendarInvite.Attendee($0.person) }
                + [ICalendarInvite.Attendee(people.founder, role: .chair, status: .accepted, rsvp: false)])
        let ics = invite.render()

        var body = [Greeting.line(people.invitees.map(\.name)), ""]
        body.append("Some of the pilot's success criteria are at risk after week \(week), and I would like to go"
            + " through them with you in a 30-minute call:")
        body += ["", "    " + slot.localDescription, ""]
        body += atRisk.map { "- " + CriterionSentence($0, evaluation).atRisk }
        body += ["", "The calendar invitation is attached. If the time does not suit you, reply with one that does.",
            "", "Best regards,", MailHeader.sanitized(request.founder.name), request.founder.email]
        let email = MIMEMessage(from: MailAddress(request.founder), to: people.recipients,
            subject: company + " pilot check-in: " + slot.shortDescription, date: now,
            messageID: MIMEMessage.messageID(thread: thread, kind: kind),
            boundary: MIMEMessage.boundary(thread: thread, kind: kind),
            parts: [.plainText(body.joined(separator: "\n") + "\n"), .calendar(ics, filename: kind + ".ics")])
        self.slot = slot
        self.invite = invite
        self.ics = ics
        self.email = email
        eml = email.serialized()
        attendees = people.invitees.map(\.person.email) + [people.founder.email]
    }
}
