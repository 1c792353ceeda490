import PilotAMQP
import PilotJSON
import PilotStageAPI

/// One message the runtime must publish (with a confirm) before it may ack a delivery.
public struct Publication: Sendable {
    public var exchange: String
    public var routingKey: String
    public var properties: AMQPProperties
    public var body: [UInt8]

    /// Whether the message must reach a queue: one named directly (a dead queue, the day
    /// timer, a stage's own queue), a retry tier, or an event on `pilot.events` whose type
    /// a stage takes. The broker confirms a message that no queue took as readily as one it
    /// stored, so these go out mandatory and a return fails the batch (or the relay's pass,
    /// or pilot-web's request): nothing is acked, and it is tried again. Other events may
    /// have no consumer bound (`crm.update` without a CRM), so they are not.
    public var mustReachAQueue: Bool {
        exchange.isEmpty || exchange.hasPrefix(Topology.delayTierPrefix)
            || (exchange == Topology.exchange && Self.typesStagesConsume.contains(routingKey))
    }

    public init(exchange: String, routingKey: String, properties: AMQPProperties, body: [UInt8]) {
        self.exchange = exchange
        self.routingKey = routingKey
        self.properties = properties
        self.body = body
    }

    /// An event for `pilot.events`, routed by its type, with the message properties of
    /// the external contract; its body `body` when it came as bytes, else its serialisation.
    public init(event: CloudEvent, timestamp: UInt64, body: [UInt8]? = nil) {
        self.init(
            exchange: Topology.exchange, routingKey: event.type,
            properties: AMQPProperties(
                contentType: "application/cloudevents+json", messageID: event.id, type: event.type,
                correlationID: event.subject, appID: "pilot-worker", timestamp: timestamp, persistent: true),
            body: body ?? event.document.serializedBytes())
    }
}

extension Publication {
    /// An event brought in from outside by `appID` (pilot-web's routes), as `init(event:)`
    /// makes it: mandatory when a stage consumes its type, so a vhost without the workers'
    /// queues refuses it (`basic.return`) instead of confirming and dropping it.
    /// `body`: the bytes the event came as, published as they are (what the sender's body
    /// limit measured; a serialisation may be longer, `1e14` becoming `100000000000000.0`).
    public init(incoming event: CloudEvent, body: [UInt8]? = nil, appID: String, timestamp: UInt64) {
        self.init(event: event, timestamp: timestamp, body: body)
        properties.appID = appID
    }

    /// Every type a stage's queue takes, gathered once rather than per publication.
    static let typesStagesConsume = Set(Stage.all.flatMap(\.routingKeys))
}

extension AMQPConnection {
    @discardableResult
    public func publish(_ publication: Publication) throws(AMQPError) -> UInt64 {
        try publish(
            exchange: publication.exchange, routingKey: publication.routingKey,
            properties: publication.properties, body: publication.body, mandatory: publication.mustReachAQueue)
    }
}
