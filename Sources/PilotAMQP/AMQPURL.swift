import CRabbitMQ
#if canImport(Glibc)
import Glibc
#endif

/// A parsed `amqp://` or `amqps://` URL. Its `description` never shows the password.
public struct AMQPURL: Sendable, Equatable, CustomStringConvertible {
    public var user: String
    public var password: String
    public var host: String
    public var port: Int
    public var vhost: String
    public var tls: Bool

    /// Parses with rabbitmq-c's own `amqp_parse_url`, so we accept exactly what it does
    /// (percent-encoded vhost such as `%2f`, default ports 5672 and 5671).
    public init(_ text: String) throws(AMQPError) {
        guard let buffer = strdup(text) else {
            throw AMQPError(operation: "amqp_parse_url", kind: .usage("out of memory"))
        }
        defer { free(buffer) }
        var info = amqp_connection_info()
        amqp_default_connection_info(&info)
        guard amqp_parse_url(buffer, &info) == AMQP_STATUS_OK.rawValue else {
            // The text itself may hold a password, so the error must not repeat it.
            throw AMQPError(operation: "amqp_parse_url", kind: .usage(
                "not an AMQP URL (expected amqp://user:password@host:port/vhost or amqps://…): \(Self.redact(text))"))
        }
        user = String(cString: info.user)
        password = String(cString: info.password)
        host = String(cString: info.host)
        port = Int(info.port)
        vhost = String(cString: info.vhost)
        tls = info.ssl != 0
    }

    public var description: String {
        let vhostPart = vhost == "/" ? "%2f" : vhost
        return "\(tls ? "amqps" : "amqp")://\(user):***@\(host):\(port)/\(vhostPart)"
    }

    /// A URL with its password replaced, for messages about text that failed to parse.
    public static func redact(_ text: String) -> String {
        guard let scheme = text.firstRange(of: "://"),
            let at = text[scheme.upperBound...].lastIndex(of: "@")
        else { return text }
        let credentials = text[scheme.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }
}
