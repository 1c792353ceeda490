import Foundation
import PilotRuntime

/// Where signed webhooks go (`PILOT_WEBHOOK_URLS`, `PILOT_WEBHOOK_SECRET`, `PILOT_WEBHOOK_EVENTS`).
public struct WebhookConfiguration: Sendable {
    public var urls: [String]
    /// The signing key: the base64-decoded part of `whsec_…`.
    public var key: [UInt8]
    public var events: [String]
    public var connectTimeout: Duration = .seconds(5)
    /// Bound on one whole request, connection to the last byte of the reply.
    public var timeout: Duration = .seconds(10)

    /// Checks the URLs (http and https only, nothing else curl speaks) and the secret.
    public init(urls: [String], secret: String?, events: [String] = DeliveryRouting.defaultWebhookEvents) throws(ConfigurationError) {
        guard !urls.isEmpty else { throw ConfigurationError("PILOT_WEBHOOK_URLS is empty") }
        for url in urls { try Self.check(url: url) }
        guard let secret else { throw ConfigurationError("PILOT_WEBHOOK_SECRET (whsec_ followed by base64) is required with PILOT_WEBHOOK_URLS") }
        key = try Self.key(fromSecret: secret)
        guard !events.isEmpty else { throw ConfigurationError("PILOT_WEBHOOK_EVENTS is empty") }
        for event in events where event.isEmpty || event.contains(where: { !($0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-") }) {
            throw ConfigurationError("PILOT_WEBHOOK_EVENTS: \(MailAddressCheck.quoted(event)) is not an event type")
        }
        self.urls = urls
        self.events = events
    }

    /// Refuses anything but an absolute http or https URL with a host: `file:`, `gopher:`
    /// and the rest of what libcurl could fetch must never be reachable from an event.
    static func check(url: String) throws(ConfigurationError) {
        let shown = MailAddressCheck.quoted(Redaction.url(url))
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else {
            throw ConfigurationError("webhook URL \(shown) is not a URL")
        }
        guard scheme == "http" || scheme == "https" else {
            throw ConfigurationError("webhook URL \(shown): scheme \(scheme): is not allowed; only http and https are")
        }
        guard let host = components.host, !host.isEmpty else {
            throw ConfigurationError("webhook URL \(shown) has no host")
        }
        guard !url.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } == true }) else {
            throw ConfigurationError("webhook URL \(shown) contains white space or control characters")
        }
    }

    /// The key of a Standard Webhooks secret: `whsec_` and base64.
    static func key(fromSecret secret: String) throws(ConfigurationError) -> [UInt8] {
        guard secret.hasPrefix("whsec_"), let data = Data(base64Encoded: String(secret.dropFirst("whsec_".count))),
              data.count >= 16
        else {
            throw ConfigurationError("PILOT_WEBHOOK_SECRET must be whsec_ followed by base64 of at least 16 bytes")
        }
        return Array(data)
    }
}
