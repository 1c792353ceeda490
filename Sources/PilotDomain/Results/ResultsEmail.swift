import Foundation

/// `results-email.eml`: the results sent to the lead's contacts from the
/// founder, with `pilot-results.md` attached.
///
/// On SUCCESS it lists the targets met (saying which were beaten by a clear
/// margin), addresses what is left (criteria only reported and missed, open
/// issues, unhappy users, missing data) and proposes moving to a contract. On
/// FAILED it says plainly what fell short, keeps what worked, and proposes a
/// call to review the results instead of a contract.
public enum ResultsEmail {
    /// The file name the results travel under.
    public static let attachmentFilename = ResultsReport.fileName

    /// The message for `thread`. `resultsText` is `ResultsReport.render`'s output; `now` the handled event's time.
    public static func message(thread: String, evaluation: PilotEvaluation, resultsText: String, now: Date,
        providerName: String? = nil) -> MIMEMessage
    {
        let request = evaluation.request
        let recipients = LeadRecipients(request)
        let writer = ResultsEmailWriter(evaluation: evaluation, recipients: recipients.people,
            provider: providerName ?? AgreementRenderer.defaultProviderName(request.founder))
        let company = MailHeader.sanitized(request.lead.company.name)
        let subject = company + " pilot results: "
            + (evaluation.verdict.status == .success ? "all required targets met" : "review of the results")
        return MIMEMessage(from: MailAddress(request.founder), to: recipients.addresses, subject: subject, date: now,
            messageID: MIMEMessage.messageID(thread: thread, kind: "results"),
            boundary: MIMEMessage.boundary(thread: thread, kind: "results"),
            parts: [
                .plainText(writer.body),
                .attachment(filename: attachmentFilename, mediaType: "text/markdown", text: resultsText),
            ])
    }
}
