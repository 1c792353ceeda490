import CoreMetrics
import Foundation
import PilotRuntime

/// Mail and webhooks as configured for this process: the stages to consume and the
/// handler of each.
public struct Delivery: Sendable {
    public let routing: DeliveryRouting
    public let smtp: SMTPConfiguration?
    public let webhooks: WebhookConfiguration?
    private let delivery: DeliveryHandler
    private let receivers: [String: WebhookHandler]

    public init(
        smtp: SMTPConfiguration?, webhooks: WebhookConfiguration?, workspace: Workspace,
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) throws(CurlError) {
        // Fail at start, not on the first event, when libcurl cannot be set up.
        try CurlGlobal.initialize()
        self.smtp = smtp
        self.webhooks = webhooks
        routing = DeliveryRouting(
            mail: smtp != nil, webhookURLs: webhooks?.urls ?? [],
            webhookEvents: webhooks?.events ?? DeliveryRouting.defaultWebhookEvents)
        let metrics = DeliveryMetrics(factory: metricsFactory)
        let mail = smtp.map { MailHandler(mailer: SMTPMailer(configuration: $0), workspace: workspace, metrics: metrics) }
        delivery = DeliveryHandler(mail: mail, routing: routing, shownURLs: routing.webhookURLs.map(Redaction.url))
        var receivers: [String: WebhookHandler] = [:]
        if let webhooks {
            for url in routing.webhookURLs {
                receivers[DeliveryRouting.webhookStageName(url)] = WebhookHandler(
                    sender: WebhookSender(url: url, configuration: webhooks), metrics: metrics)
            }
        }
        self.receivers = receivers
    }

    /// The stages to consume: the delivery stage and one per webhook URL.
    public var stages: [Stage] { routing.stages }

    /// The handler of one of `stages`, or nil for any other stage.
    public func handler(for stage: Stage) -> (any EventHandler)? {
        if stage.name == DeliveryRouting.stageName { return delivery }
        return receivers[stage.name]
    }
}
