import Foundation

/// `signature-reminder-N.md` and its e-mail: the decision maker is reminded that the
/// pilot agreement waits for a signature, and until when.
public struct SignatureReminder: Hashable, Sendable {
    /// 1 for the first reminder.
    public var number: Int
    /// The Markdown record of the reminder.
    public var text: String
    public var email: MIMEMessage

    /// `signature-reminder-N.md`.
    public static func fileName(_ number: Int) -> String { "signature-reminder-\(number).md" }

    /// - Parameters:
    ///   - day: pilot days since the kickoff invite.
    ///   - expiryDay: the day the offer lapses without a signature.
    ///   - now: the timer's time.
    public init(thread: String, request: PilotRequest, number: Int, day: Int, expiryDay: Int, now: Date) {
        let company = MailHeader.sanitized(request.lead.company.name)
        let signers = request.lead.decisionMakers
        let left = expiryDay - day
        var lines = [Greeting.line(signers.map(\.name)), ""]
        lines.append("A short reminder: the agreement for the \(request.terms.resolvedDurationDays)-day pilot at \(company)"
            + " has been waiting for your signature for \(day) days.")
        lines.append("")
        lines.append("The offer stands for \(left) more \(left == 1 ? "day" : "days"); after that we close the pilot"
            + " and will gladly start again when the timing suits you better.")
        lines.append("")
        lines.append("If something in the agreement stands in the way, reply and tell me what; we can amend it.")
        lines.append("")
        lines += LifecycleMail.signature(request)
        let body = lines.joined(separator: "\n") + "\n"
        self.number = number
        text = "# Signature reminder \(number)\n\n"
            + "- Pilot: \(MarkdownText.escape(company))\n"
            + "- To: \(signers.map { MarkdownText.escape($0.name) + " <" + $0.email + ">" }.joined(separator: ", "))\n"
            + "- Waiting since the kickoff invite: \(day) pilot days\n"
            + "- Expires after: \(expiryDay) pilot days\n\n"
            + "## Message\n\n" + body
        email = LifecycleMail.message(thread: thread, kind: "signature-reminder-\(number)", request: request,
            to: signers.map(MailAddress.init), subject: "the agreement is waiting for your signature", body: body,
            now: now)
    }
}
