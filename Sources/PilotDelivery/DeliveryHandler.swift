import PilotRuntime
import PilotStageAPI

/// The `delivery` stage: sends `email.send` over SMTP, and hands each webhook event to
/// every receiver's own queue, body unchanged, with `x-webhook-url` naming the receiver.
public struct DeliveryHandler: Sendable {
    let mail: MailHandler?
    let routing: DeliveryRouting
    /// The webhook URLs as shown in logs and headers, credentials hidden.
    let shownURLs: [String]

    public func handle(_ event: CloudEvent, context: StageContext) throws -> StageOutcome {
        if event.type == DeliveryRouting.mailType, let mail {
            try mail.send(event, context: context)
        }
        guard routing.webhookEvents.contains(event.type), !routing.webhookURLs.isEmpty else {
            if event.type != DeliveryRouting.mailType || mail == nil {
                throw Refusal.never("not_configured", "this worker delivers neither mail nor webhooks for \(event.type)")
            }
            return StageOutcome()
        }
        let copies = zip(routing.webhookStages, shownURLs).map { stage, url in
            OutgoingEvent(forwarding: event, body: context.body, to: stage.queue, headers: [("x-webhook-url", url)])
        }
        return StageOutcome(events: copies)
    }
}
