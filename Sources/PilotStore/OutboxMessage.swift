import PilotJSON

/// An event committed together with the state change that produced it, to be published
/// (and marked sent) after the commit. Its `eventID` is the AMQP `message_id`.
public struct OutboxMessage: Sendable, Equatable {
    /// The position in the outbox, assigned on enqueue (nil before); publish in this order.
    public var seq: Int64?
    public var eventID: String
    public var threadID: String?
    public var exchange: String
    public var routingKey: String
    /// Extra AMQP headers; string, integer, boolean and double members.
    public var headers: JSONObject
    public var body: [UInt8]
    /// RFC 3339.
    public var createdAt: String?
    /// RFC 3339; nil while still to publish.
    public var sentAt: String?

    public init(
        eventID: String, threadID: String?, exchange: String, routingKey: String, headers: JSONObject = JSONObject(),
        body: [UInt8], createdAt: String? = nil, seq: Int64? = nil, sentAt: String? = nil
    ) {
        self.seq = seq
        self.eventID = eventID
        self.threadID = threadID
        self.exchange = exchange
        self.routingKey = routingKey
        self.headers = headers
        self.body = body
        self.createdAt = createdAt
        self.sentAt = sentAt
    }
}
