import Foundation
import PilotRuntime
import PilotStageAPI

/// Delivers the events in one webhook receiver's queue to that receiver, signed.
///
/// 2xx: delivered. 408, 429 and 5xx: retried through the delay tiers, at least as late
/// as `Retry-After` asks. A redirect or any other 4xx: dead-lettered with the status and
/// the start of the reply. No reply at all (refused, timed out): retried.
public struct WebhookHandler: Sendable {
    let sender: WebhookSender
    let metrics: DeliveryMetrics

    public func handle(_ event: CloudEvent, context: StageContext) throws -> StageOutcome {
        let target = Redaction.url(sender.url)
        let reply: WebhookSender.Reply
        do {
            reply = try sender.post(id: event.id, body: context.body)
        } catch {
            metrics.webhookFailed("connection")
            throw error
        }
        let excerpt = reply.body.isEmpty ? "" : ": " + String(reply.body.prefix(200))
        switch reply.status {
        case 200..<300:
            metrics.webhookDelivered()
            context.log.info("webhook delivered", ["url": .string(target), "status": .stringConvertible(reply.status)])
            return StageOutcome()
        case 408, 429, 500..<600:
            metrics.webhookFailed("retryable_status")
            let detail = "\(target) answered \(reply.status)\(excerpt)"
            if let delay = reply.retryAfter { throw RetryLater(delay: delay, detail: detail) }
            throw WebhookStatusError(detail: detail)
        case 300..<400:
            metrics.webhookFailed("redirect")
            throw Refusal.never("webhook_redirect", "\(target) answered \(reply.status) (redirects are not followed)\(excerpt)")
        default:
            metrics.webhookFailed("rejected")
            throw Refusal.never("webhook_rejected", "\(target) answered \(reply.status)\(excerpt)")
        }
    }
}

/// A status that asks for another try later.
struct WebhookStatusError: Error, CustomStringConvertible {
    var detail: String
    var description: String { detail }
}
