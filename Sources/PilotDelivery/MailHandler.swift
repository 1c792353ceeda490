import Foundation
import PilotJSON
import PilotRuntime
import PilotStageAPI

/// Sends the `.eml` an `email.send` names, byte for byte, to its `to` and `cc`.
///
/// There is no inbox in front of it (network I/O must not sit in the store's write
/// transaction), so a redelivery after a crash between the server's reply and the ack
/// sends the message again; the message carries the same `Message-ID`, which is how
/// mail systems recognise the copy.
struct MailHandler: Sendable {
    let mailer: SMTPMailer
    let documents: any DocumentStore
    let metrics: DeliveryMetrics
    /// The largest `.eml` sent; servers refuse larger ones anyway.
    static let maxMessageBytes = 25 << 20
    /// Less than this left for the SMTP transaction after the read is not worth a try.
    static let minimumSendTime: Duration = .seconds(1)
    /// The monotonic clock the read is timed on; tests move it on.
    var now: @Sendable () -> ContinuousClock.Instant = { .now }

    /// The read of the message took the time the whole mail has: not sent, tried again.
    struct OutOfTime: Error, CustomStringConvertible {
        let path: String
        let spent: Duration
        let budget: Duration
        var description: String {
            "reading \(MailAddressCheck.quoted(path)) took \(spent) of the \(budget) a mail may take within the broker's heartbeat; not sent, to be tried again"
        }
    }

    /// What is left of `budget` for the SMTP transaction after `spent` on the read, or
    /// nil when too little is.
    static func sendingTime(budget: Duration, spent: Duration) -> Duration? {
        let left = budget - spent
        return left >= minimumSendTime ? left : nil
    }

    func send(_ event: CloudEvent, context: StageContext) throws {
        let data = event.data
        guard let to = data["to"]?.array, !to.isEmpty else {
            metrics.mailFailed("invalid_recipient")
            throw Refusal.never("invalid_recipient", "email.send has no \"to\" list")
        }
        var recipients: [String] = []
        for value in to + (data["cc"]?.array ?? []) {
            guard let address = value.string else {
                metrics.mailFailed("invalid_recipient")
                throw Refusal.never("invalid_recipient", "a recipient is not a string")
            }
            if let problem = MailAddressCheck.problem(with: address) {
                metrics.mailFailed("invalid_recipient")
                throw Refusal.never("invalid_recipient", problem)
            }
            if !recipients.contains(address) { recipients.append(address) }
        }
        // The consumer services its broker connection neither during the read nor during
        // the SMTP transaction, so both share one bound, the SMTP timeout (capped at the
        // heartbeat): a session the broker closed meanwhile would have the mail sent again.
        let path = data["eml_path"]?.string
        let started = now()
        let message = try readMessage(path, thread: event.subject)
        let budget = mailer.configuration.timeout
        let spent = now() - started
        guard let left = Self.sendingTime(budget: budget, spent: spent) else {
            throw OutOfTime(path: path ?? "", spent: spent, budget: budget)
        }

        let refusals: [String]
        do {
            refusals = try mailer.send(message, to: recipients, within: left)
        } catch {
            metrics.mailFailed(error.kind.rawValue)
            if error.kind == .rejected {
                throw Refusal.never("mail_rejected", error.detail)
            }
            throw error
        }
        metrics.mailDelivered()
        if !refusals.isEmpty {
            // Sent to the others; a refused address needs a person, not another try (which
            // would send the message again to everyone who has it).
            context.log.warning("mail sent, but the server refused some recipients", [
                "refused": .string(refusals.joined(separator: "; ")), "recipients": .stringConvertible(recipients.count),
            ])
        }
        context.log.info("mail sent", [
            "recipients": .stringConvertible(recipients.count), "bytes": .stringConvertible(message.count),
            "smtp": .string(mailer.configuration.url),
        ])
    }

    /// The message file, only from under the event's own `threads/sales/<thread>/` in the
    /// documents' store: an event of one pilot must not mail another pilot's files.
    private func readMessage(_ path: String?, thread: String) throws -> [UInt8] {
        guard let path else {
            metrics.mailFailed("invalid_document")
            throw Refusal.never("invalid_document", "email.send has no \"eml_path\"")
        }
        // On the bytes, as `Workspace.check` splits them.
        guard path.utf8.starts(with: "\(Workspace.threadsFolder)/\(thread)/".utf8) else {
            metrics.mailFailed("invalid_document")
            throw Refusal.never(
                "invalid_document",
                "eml_path \(MailAddressCheck.quoted(path)) is not under the event's own thread folder threads/sales/\(MailAddressCheck.quoted(thread))/")
        }
        let message: [UInt8]?
        do {
            message = try documents.read(path)
        } catch let error as WorkspaceError {
            guard case .outside = error else { throw error }
            metrics.mailFailed("invalid_document")
            throw Refusal.never("invalid_document", "eml_path \(MailAddressCheck.quoted(path)) is not a file under threads/sales/<thread-id>/ in the workspace")
        }
        // Any other read error (the disk, a shared folder or the object store away) is
        // worth another try: it propagates as a handler failure.
        guard let message else {
            metrics.mailFailed("invalid_document")
            throw Refusal.never("invalid_document", "no message file at \(MailAddressCheck.quoted(path))")
        }
        guard message.count <= Self.maxMessageBytes else {
            metrics.mailFailed("invalid_document")
            throw Refusal.never("invalid_document", "\(MailAddressCheck.quoted(path)) is over \(Self.maxMessageBytes) bytes")
        }
        return message
    }
}
