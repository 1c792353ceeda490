import Foundation

/// The e-mail asking the lead's contacts for feedback when none has come by the middle
/// of the pilot (`feedback-request.eml`): to the lead's contacts from the founder.
public enum FeedbackRequestEmail {
    /// `feedback-request.eml`.
    public static let fileName = "feedback-request.eml"

    /// The message for `thread`'s pilot on `evaluation.day`; `now` is the handled event's time.
    public static func message(thread: String, evaluation: PilotEvaluation, now: Date, providerName: String? = nil)
        -> MIMEMessage
    {
        let request = evaluation.request
        let recipients = LeadRecipients(request)
        let company = MailHeader.sanitized(request.lead.company.name)
        let provider = MailHeader.sanitized(providerName ?? AgreementRenderer.defaultProviderName(request.founder))
        let lines = [
            Greeting.line(recipients.people.map(\.name)), "",
            "We are at day \(evaluation.day) of \(evaluation.durationDays) of the \(provider) pilot at \(company),"
                + " and we have not heard yet how it is going for the people using it.",
            "",
            "Could you ask them for a quick score? One question: from 0 to 10, how likely are they to recommend"
                + " it to a colleague, with a comment if they like. Their answers count toward the pilot's results"
                + " and tell us what to fix while there is still time.",
            "",
            "Best regards,", MailHeader.sanitized(request.founder.name), request.founder.email,
        ]
        return MIMEMessage(from: MailAddress(request.founder), to: recipients.addresses,
            subject: company + " pilot: how is it going for your team?", date: now,
            messageID: MIMEMessage.messageID(thread: thread, kind: "feedback-request"),
            boundary: MIMEMessage.boundary(thread: thread, kind: "feedback-request"),
            parts: [.plainText(lines.joined(separator: "\n") + "\n")])
    }
}
