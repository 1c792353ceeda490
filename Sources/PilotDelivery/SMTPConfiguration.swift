import Foundation
import PilotRuntime

/// Where and how mail goes out (`PILOT_SMTP_*`, `PILOT_MAIL_FROM`).
public struct SMTPConfiguration: Sendable {
    /// `PILOT_SMTP_TLS`: how STARTTLS is used on `smtp://` (`smtps://` is TLS from the start).
    public enum TLSMode: String, Sendable, CaseIterable {
        /// Refuse to send unless the session is encrypted (and the certificate verified).
        case require
        /// Encrypt when the server offers STARTTLS, else send in the clear.
        case opportunistic
        /// Never STARTTLS.
        case off
    }

    /// `smtp://host:port` or `smtps://host:port`.
    public var url: String
    public var host: String
    public var tls: TLSMode
    public var user: String?
    public var password: String?
    /// The envelope sender (`MAIL FROM`).
    public var from: String
    /// CA bundle for the server's certificate; nil uses the system's.
    public var caFile: String?
    public var connectTimeout: Duration = .seconds(10)
    /// Bound on one whole transaction, connection to the final reply. The consumer does not
    /// service its broker connection meanwhile, so this stays within the AMQP heartbeat.
    public var timeout: Duration = .seconds(30)

    /// Checks every value; `tls` nil picks the default: `require`, except on a loopback
    /// host, where a local relay usually offers no certificate.
    public init(
        url: String, tls: String?, user: String?, password: String?, from: String?, caFile: String? = nil
    ) throws(ConfigurationError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              scheme == "smtp" || scheme == "smtps", let host = components.host, !host.isEmpty
        else {
            throw ConfigurationError("PILOT_SMTP_URL must look like smtp://host:port or smtps://host:port, not \(MailAddressCheck.quoted(Redaction.url(url)))")
        }
        guard components.user == nil, components.password == nil else {
            throw ConfigurationError("PILOT_SMTP_URL must not hold credentials; use PILOT_SMTP_USER and PILOT_SMTP_PASSWORD")
        }
        guard components.path.isEmpty || components.path == "/", components.query == nil, components.fragment == nil else {
            throw ConfigurationError("PILOT_SMTP_URL takes only a scheme, a host and a port")
        }
        self.url = "\(scheme)://\(components.percentEncodedHost ?? host)\(components.port.map { ":\($0)" } ?? "")"
        self.host = host
        if let tls {
            guard let mode = TLSMode(rawValue: tls) else {
                throw ConfigurationError("PILOT_SMTP_TLS must be require, opportunistic or off, not \(MailAddressCheck.quoted(tls))")
            }
            self.tls = mode
        } else {
            self.tls = Self.isLoopback(host) ? .opportunistic : .require
        }
        if scheme == "smtps", self.tls != .require {
            throw ConfigurationError("smtps:// is always encrypted; PILOT_SMTP_TLS \(self.tls.rawValue) contradicts it")
        }
        guard (user == nil) == (password == nil) else {
            throw ConfigurationError("PILOT_SMTP_USER and PILOT_SMTP_PASSWORD go together")
        }
        if let user, user.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
            throw ConfigurationError("PILOT_SMTP_USER contains a line break")
        }
        self.user = user
        self.password = password
        guard let from else { throw ConfigurationError("PILOT_MAIL_FROM (the envelope sender) is required with PILOT_SMTP_URL") }
        if let problem = MailAddressCheck.problem(with: from) {
            throw ConfigurationError("PILOT_MAIL_FROM: \(problem)")
        }
        self.from = from
        self.caFile = caFile
    }

    static func isLoopback(_ host: String) -> Bool {
        // An IPv4 literal in 127/8, not any name that starts with "127." (127.relay.example.com).
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        let inLoopbackNet = octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
        return host == "localhost" || inLoopbackNet || host == "::1" || host == "[::1]"
    }

    /// For logs: the URL and the mode, never the credentials.
    public var description: String {
        "\(url) (TLS \(tls.rawValue)\(user == nil ? "" : ", user \(user!), password ***"))"
    }
}

/// Hides credentials in URLs before they reach a log or an error message.
public enum Redaction {
    /// `scheme://user:***@host/…`; a URL without credentials is returned as it is.
    public static func url(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.user != nil || components.password != nil else {
            return text
        }
        if components.password != nil { components.password = "***" }
        return components.string ?? "(a URL with credentials)"
    }
}
