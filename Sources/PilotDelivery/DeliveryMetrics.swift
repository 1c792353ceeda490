import CoreMetrics
import Synchronization

/// What delivery did, through swift-metrics like the stage metrics: mails sent, webhooks
/// delivered, and failed attempts by reason (a retried failure counts once per attempt).
public final class DeliveryMetrics: Sendable {
    public static let mailSent = "pilot.mail.sent.total"
    public static let mailFailures = "pilot.mail.failures.total"
    public static let webhooksSent = "pilot.webhooks.sent.total"
    public static let webhookFailures = "pilot.webhooks.failures.total"

    /// Every reason either kind of failure is recorded with, so dashboards see zeros.
    public static let mailReasons = ["rejected", "temporary", "connection", "failed", "invalid_recipient", "invalid_document"]
    public static let webhookReasons = ["rejected", "retryable_status", "connection", "redirect"]

    private let sentMail: Counter
    private let sentWebhooks: Counter
    private let mailFailureCounters: [String: Counter]
    private let webhookFailureCounters: [String: Counter]

    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        sentMail = Counter(label: Self.mailSent, dimensions: [], factory: factory)
        sentWebhooks = Counter(label: Self.webhooksSent, dimensions: [], factory: factory)
        mailFailureCounters = Dictionary(uniqueKeysWithValues: Self.mailReasons.map {
            ($0, Counter(label: Self.mailFailures, dimensions: [("reason", $0)], factory: factory))
        })
        webhookFailureCounters = Dictionary(uniqueKeysWithValues: Self.webhookReasons.map {
            ($0, Counter(label: Self.webhookFailures, dimensions: [("reason", $0)], factory: factory))
        })
    }

    func mailDelivered() { sentMail.increment() }
    func webhookDelivered() { sentWebhooks.increment() }
    /// `reason` is one of `mailReasons`.
    func mailFailed(_ reason: String) { mailFailureCounters[reason]?.increment() }
    /// `reason` is one of `webhookReasons`.
    func webhookFailed(_ reason: String) { webhookFailureCounters[reason]?.increment() }
}
