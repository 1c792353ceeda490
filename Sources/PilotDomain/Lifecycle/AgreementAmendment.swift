import Foundation

/// `pilot-agreement-amendment-N.md` and its e-mail to the lead's contacts: the pilot is
/// extended, with the new length, the new last day and why.
public struct AgreementAmendment: Hashable, Sendable {
    public var number: Int
    public var text: String
    public var email: MIMEMessage

    /// `pilot-agreement-amendment-N.md`.
    public static func fileName(_ number: Int) -> String { "pilot-agreement-amendment-\(number).md" }

    /// - Parameters:
    ///   - startDate: day 1 of the pilot.
    ///   - fromDays: the length before this amendment; `days`: added by it.
    public init(thread: String, request: PilotRequest, number: Int, startDate: CalendarDate, fromDays: Int, days: Int,
        reason: String, requestedBy: Person, now: Date)
    {
        let company = MailHeader.sanitized(request.lead.company.name)
        let toDays = fromDays + days
        let oldEnd = startDate.adding(days: fromDays - 1)
        let newEnd = startDate.adding(days: toDays - 1)
        let reasonLine = MailHeader.sanitized(reason)
        self.number = number
        text = """
            # Pilot agreement amendment \(number)

            Between the provider and \(MarkdownText.escape(company)), amending the pilot agreement \
            (`pilot-agreement-custom.md`, or `pilot-agreement-final.md` where the terms were amended at signature).

            | Term | Before | After |
            |---|---|---|
            | Pilot length | \(fromDays) days | \(toDays) days |
            | Last pilot day | \(EnglishDate.long(oldEnd)) | \(EnglishDate.long(newEnd)) |

            - Reason: \(MarkdownText.escape(reasonLine))
            - Requested by: \(MarkdownText.escape(MailHeader.sanitized(requestedBy.name))) <\(requestedBy.email)>

            Every other term, the success criteria included, stays as agreed. The results are \
            compiled after the new last day.

            """
        let recipients = LeadRecipients(request)
        var lines = [Greeting.line(recipients.people.map(\.name)), ""]
        lines.append("As agreed, the pilot at \(company) runs \(days) \(days == 1 ? "day" : "days") longer: \(toDays) days"
            + " in all, until \(EnglishDate.withWeekday(newEnd)).")
        lines += ["", "Why: " + reasonLine, ""]
        lines.append("The amendment is attached (\(Self.fileName(number))); the success criteria do not change, and the"
            + " results follow the new last day.")
        lines.append("")
        lines += LifecycleMail.signature(request)
        email = LifecycleMail.message(thread: thread, kind: "amendment-\(number)", request: request,
            to: recipients.addresses, subject: "extended to \(toDays) days", body: lines.joined(separator: "\n") + "\n",
            now: now, attachment: (Self.fileName(number), text))
    }
}
