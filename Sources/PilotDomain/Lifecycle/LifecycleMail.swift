import Foundation

/// What the lifecycle e-mails share: they come from the founder, go to the lead's
/// contacts (or its decision makers), and carry a plain-text body and, at times, a
/// Markdown document.
enum LifecycleMail {
    static func message(thread: String, kind: String, request: PilotRequest, to recipients: [MailAddress],
        subject: String, body: String, now: Date, attachment: (filename: String, text: String)? = nil) -> MIMEMessage
    {
        var parts: [MIMEPart] = [.plainText(body)]
        if let attachment {
            parts.append(.attachment(filename: attachment.filename, mediaType: "text/markdown", text: attachment.text))
        }
        return MIMEMessage(from: MailAddress(request.founder), to: recipients,
            subject: MailHeader.sanitized(request.lead.company.name) + " pilot: " + subject, date: now,
            messageID: MIMEMessage.messageID(thread: thread, kind: kind),
            boundary: MIMEMessage.boundary(thread: thread, kind: kind), parts: parts)
    }

    /// "Best regards," and the founder, the way every e-mail of the pilot ends.
    static func signature(_ request: PilotRequest) -> [String] {
        ["Best regards,", MailHeader.sanitized(request.founder.name), request.founder.email]
    }
}

extension Lead {
    /// Who signs: the contacts marked `decision_maker`; every contact when none is.
    public var decisionMakers: [Contact] {
        let marked = contacts.filter { $0.decisionMaker == true }
        return marked.isEmpty ? contacts : marked
    }
}
