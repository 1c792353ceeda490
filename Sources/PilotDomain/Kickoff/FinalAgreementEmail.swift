import Foundation

/// The e-mail that sends `pilot-agreement-final.md` after `pilot.signed` with
/// amendments: to whoever signed and the lead's contacts, from the founder.
public enum FinalAgreementEmail {
    /// The file name the final agreement travels under.
    public static let agreementFilename = "pilot-agreement-final.md"

    /// The message for `thread`; `final` is what `FinalAgreementRenderer` produced.
    public static func message(thread: String, request: PilotRequest, signed: PilotSigned,
        final: FinalAgreementRenderer.Output, now: Date) -> MIMEMessage
    {
        var seen: Set<String> = [request.founder.email.lowercased()]
        let recipients = ([signed.signedBy] + request.lead.contacts.map(\.person)).filter {
            seen.insert($0.email.lowercased()).inserted
        }
        let company = MailHeader.sanitized(request.lead.company.name)
        return MIMEMessage(from: MailAddress(request.founder), to: recipients.map(MailAddress.init),
            subject: company + " pilot: final agreement, starting " + EnglishDate.long(final.plan.startDate),
            date: now, messageID: MIMEMessage.messageID(thread: thread, kind: "final-agreement"),
            boundary: MIMEMessage.boundary(thread: thread, kind: "final-agreement"),
            parts: [
                .plainText(body(request: request, signed: signed, final: final, recipients: recipients)),
                .attachment(filename: agreementFilename, mediaType: "text/markdown", text: final.text),
            ])
    }

    static func body(request: PilotRequest, signed: PilotSigned, final: FinalAgreementRenderer.Output,
        recipients: [Person]) -> String
    {
        let plan = final.plan
        var lines = [Greeting.line(recipients.map(\.name)), ""]
        lines.append("Thank you for signing the pilot agreement, " + Greeting.firstName(signed.signedBy.name) + "."
            + " Attached is the final version (\(agreementFilename)), with the changes we agreed:")
        lines.append("")
        if final.changes.isEmpty {
            lines.append("- None: the agreement is as proposed.")
        } else {
            lines += final.changes.map {
                "- " + MailHeader.sanitized($0.item) + ": " + MailHeader.sanitized($0.before) + " → "
                    + MailHeader.sanitized($0.after)
            }
        }
        lines += ["", "The pilot runs for \(plan.durationDays) days, from " + EnglishDate.withWeekday(plan.startDate)
            + " to " + EnglishDate.withWeekday(plan.endDate) + ". Fees: " + plan.fee.summary + ".", ""]
        lines.append("Next steps: we set up the accounts and integrations in the first days, and you will get a"
            + " written progress report every seven days.")
        lines += ["", "Best regards,", MailHeader.sanitized(request.founder.name), request.founder.email]
        return lines.joined(separator: "\n") + "\n"
    }
}
