import Foundation
import PilotStageAPI

/// Which queues the delivery stage needs, from what is configured: shared by `pilot-worker`
/// (which consumes them) and `pilotctl topology` (which declares and exports them), so
/// both describe the same broker objects.
///
/// ```
///  [pilot.events] ──email.send, PILOT_WEBHOOK_EVENTS──▶ pilot.stage.delivery (quorum)
///                                                          │ email.send: sent over SMTP here
///                                                          │ webhook types: one copy per URL,
///                                                          ▼ body unchanged, header x-webhook-url
///                         pilot.stage.delivery.webhook-<url key> (quorum, not bound; one per URL)
///                                                          │ POSTed to that URL only; retries and
///                                                          ▼ dead letters per URL
///                                   pilot.stage.delivery.webhook-<url key>.dead
/// ```
///
/// Why a queue per receiver: each is consumed on its own thread, so a receiver that
/// times out, or asks to be left alone for a while, holds up only its own copies. A
/// single queue would put every receiver's copies behind the slowest one's timeouts.
///
/// With neither SMTP nor webhooks configured there is no delivery stage at all: no queue
/// is declared and nothing is bound, so `email.send` and the webhook types pile up nowhere
/// (integrations that bind their own queues still get them).
public struct DeliveryRouting: Sendable, Equatable {
    public static let defaultWebhookEvents = [
        "crm.update", "action.create", "actions.skip_remaining", "deal.lost", "pilot.completed", "alert.raised",
    ]
    public static let stageName = "delivery"
    public static let mailType = "email.send"

    /// True when `PILOT_SMTP_URL` is set.
    public var mail: Bool
    /// `PILOT_WEBHOOK_URLS`, in order, without duplicates.
    public var webhookURLs: [String]
    /// `PILOT_WEBHOOK_EVENTS`.
    public var webhookEvents: [String]

    public init(mail: Bool, webhookURLs: [String], webhookEvents: [String] = DeliveryRouting.defaultWebhookEvents) {
        self.mail = mail
        var seen = Set<String>()
        self.webhookURLs = webhookURLs.filter { seen.insert($0).inserted }
        self.webhookEvents = webhookEvents
    }

    /// Reads `PILOT_SMTP_URL`, `PILOT_WEBHOOK_URLS` and `PILOT_WEBHOOK_EVENTS`.
    public init(environment: [String: String]) {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        self.init(
            mail: value("PILOT_SMTP_URL") != nil,
            webhookURLs: Self.list(value("PILOT_WEBHOOK_URLS") ?? ""),
            webhookEvents: value("PILOT_WEBHOOK_EVENTS").map(Self.list) ?? Self.defaultWebhookEvents)
    }

    /// A comma-separated list, blanks trimmed, empty items dropped.
    public static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Deliveries a delivery consumer holds: batches of one, so one slow peer (up to a
    /// timeout per try) never keeps a batch from being acked within the heartbeat, and a
    /// few more in hand so the next starts at once.
    public static let prefetch: UInt16 = 4

    public var isConfigured: Bool { mail || !webhookURLs.isEmpty }

    /// The delivery stage: `email.send` when mail is configured, the webhook types when a URL is.
    public var stage: Stage? {
        guard isConfigured else { return nil }
        let keys = (mail ? [Self.mailType] : []) + (webhookURLs.isEmpty ? [] : webhookEvents.filter { $0 != Self.mailType || !mail })
        var stage = Stage(name: Self.stageName, routingKeys: keys, usesStore: false)
        stage.maxPrefetch = Self.prefetch
        return stage
    }

    /// One unbound stage per webhook URL.
    public var webhookStages: [Stage] {
        webhookURLs.map { url in
            var stage = Stage(name: Self.webhookStageName(url), routingKeys: webhookEvents, usesStore: false, bindsRoutingKeys: false)
            stage.maxPrefetch = Self.prefetch
            return stage
        }
    }

    /// Every stage of delivery, the shared one first; empty when nothing is configured.
    public var stages: [Stage] {
        guard let stage else { return [] }
        return [stage] + webhookStages
    }

    /// `delivery.webhook-<10 hex digits of the URL's SHA-1>`: stable across restarts and
    /// reordered lists, and free of the URL's own characters (credentials included).
    public static func webhookStageName(_ url: String) -> String {
        let digest = SHA1.digest(Array(url.utf8)).prefix(5)
        return stageName + ".webhook-" + digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
