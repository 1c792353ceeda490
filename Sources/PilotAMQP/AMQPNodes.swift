/// One broker, or the nodes of one cluster: `PILOT_AMQP_URL` as a comma-separated list
/// of node URLs. A client connects to the first node that answers, starting where it is
/// told, so a consumer that lost its node moves on to the next one when it reconnects.
/// Its `description` never shows a password.
public struct AMQPNodes: Sendable, Equatable, CustomStringConvertible {
    /// At least one.
    public let urls: [AMQPURL]

    public init(_ url: AMQPURL) {
        urls = [url]
    }

    /// Parses `amqp://…,amqp://…`; blanks around the commas are ignored, an empty entry is an error.
    public init(_ text: String) throws(AMQPError) {
        let entries = text.split(separator: ",", omittingEmptySubsequences: false).map { entry in
            String(entry.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        }
        guard !entries.contains(where: \.isEmpty) else {
            throw AMQPError(operation: "parse PILOT_AMQP_URL", kind: .usage(
                "an empty entry in the list of broker URLs: \(entries.map(AMQPURL.redact).joined(separator: ","))"))
        }
        var urls: [AMQPURL] = []
        for entry in entries { urls.append(try AMQPURL(entry)) }
        self.urls = urls
    }

    public var description: String { urls.map(\.description).joined(separator: ",") }

    /// Connects to the first node that answers, trying each once from `start` on (wrapping
    /// round); returns the connection and the index of its node. When none answers, the
    /// error is the last node's.
    public func connect(options: AMQPConnectionOptions, from start: Int = 0) throws(AMQPError) -> (connection: AMQPConnection, node: Int) {
        var last: AMQPError?
        for offset in 0..<urls.count {
            let node = (start + offset) % urls.count
            do {
                return (try AMQPConnection(url: urls[node], options: options), node)
            } catch {
                last = error
            }
        }
        // The last node's own error (a socket error, a refused login), so the caller's
        // reconnect logic reads it as it would with one node.
        throw last!
    }
}
