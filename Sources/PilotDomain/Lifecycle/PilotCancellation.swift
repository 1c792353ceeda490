import Foundation

/// `cancellation.eml`: the lead's contacts hear that the pilot stops, and why.
public enum PilotCancellation {
    public static func email(thread: String, request: PilotRequest, reason: String, now: Date) -> MIMEMessage {
        let company = MailHeader.sanitized(request.lead.company.name)
        let recipients = LeadRecipients(request)
        var lines = [Greeting.line(recipients.people.map(\.name)), ""]
        lines.append("This is to confirm that the pilot at \(company) is cancelled as of today. We stop the daily"
            + " monitoring and send no further reports.")
        lines += ["", "Why: " + MailHeader.sanitized(reason), ""]
        lines.append("Thank you for the time your team gave it. If circumstances change, reply to this e-mail and we"
            + " will pick it up again.")
        lines.append("")
        lines += LifecycleMail.signature(request)
        return LifecycleMail.message(thread: thread, kind: "cancellation", request: request, to: recipients.addresses,
            subject: "cancelled", body: lines.joined(separator: "\n") + "\n", now: now)
    }
}
