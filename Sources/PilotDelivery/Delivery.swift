import CoreMetrics
import PilotCurl
import Foundation
import PilotRuntime
import PilotStageAPI

/// Mail and webhooks as configured for this process: the stages to consume and the
/// handler of each.
public struct Delivery: Sendable {
    public let routing: DeliveryRouting
    public let smtp: SMTPConfiguration?
    public let webhooks: WebhookConfiguration?
    private let documents: any DocumentStore
    private let metricsFactory: (any MetricsFactory)?

    /// - Parameter metricsFactory: the backend; nil takes the one the process has
    ///   bootstrapped by the time the handlers are made (`handler(for:)`).
    public init(
        smtp: SMTPConfiguration?, webhooks: WebhookConfiguration?, documents: any DocumentStore,
        metricsFactory: (any MetricsFactory)? = nil
    ) throws(CurlError) {
        // Fail at start, not on the first event, when libcurl cannot be set up.
        try CurlGlobal.initialize()
        self.smtp = smtp
        self.webhooks = webhooks
        self.documents = documents
        self.metricsFactory = metricsFactory
        routing = DeliveryRouting(
            mail: smtp != nil, webhookURLs: webhooks?.urls ?? [],
            webhookEvents: webhooks?.events ?? DeliveryRouting.defaultWebhookEvents)
    }

    /// The stages to consume: the delivery stage and one per webhook URL.
    public var stages: [Stage] { routing.stages }

    /// The handlers of one of `stages` (every routing key of the stage goes to the one
    /// handler, which does its own I/O outside the store), or nil for any other stage.
    public func definition(for stage: Stage) -> StageDefinition? {
        guard let handle = handler(for: stage) else { return nil }
        return StageDefinition(stage.name) { definition in
            for type in stage.routingKeys {
                definition.on(type, raw: { event, _, context in try handle(event, context) })
            }
        }
    }

    /// The handler of one of `stages`, or nil for any other stage.
    func handler(for stage: Stage) -> (@Sendable (CloudEvent, StageContext) throws -> StageOutcome)? {
        let metrics = DeliveryMetrics(factory: metricsFactory ?? MetricsSystem.factory)
        if stage.name == DeliveryRouting.stageName {
            let mail = smtp.map { MailHandler(mailer: SMTPMailer(configuration: $0), documents: documents, metrics: metrics) }
            let handler = DeliveryHandler(mail: mail, routing: routing, shownURLs: routing.webhookURLs.map(Redaction.url))
            return { try handler.handle($0, context: $1) }
        }
        guard let webhooks, let url = routing.webhookURLs.first(where: { DeliveryRouting.webhookStageName($0) == stage.name }) else {
            return nil
        }
        let handler = WebhookHandler(sender: WebhookSender(url: url, configuration: webhooks), metrics: metrics)
        return { try handler.handle($0, context: $1) }
    }
}
