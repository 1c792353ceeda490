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
    /// timer, a stage's own queue) or a retry tier. The broker confirms a message that no
    /// queue took as readily as one it stored, so these go out mandatory and a return
    /// fails the batch: its deliveries are not acked and come back. Events on
    /// `pilot.events` may have no consumer bound (`crm.update` without a CRM), so they do not.
    public var mustReachAQueue: Bool {
        mustReachAStage || exchange.isEmpty || exchange.hasPrefix(Topology.delayTierPrefix)
    }

    /// Set on an event brought in from outside whose type a stage's queue takes
    /// (`init(incoming:)`): confirmed without a queue, it would be lost while its sender was
    /// told it had been accepted.
    public var mustReachAStage = false

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
    /// makes it, and mandatory when a stage consumes its type: a vhost without the workers'
    /// queues then refuses it (`basic.return`) instead of confirming and dropping it.
    /// `body`: the bytes the event came as, published as they are (what the sender's body
    /// limit measured; a serialisation may be longer, `1e14` becoming `100000000000000.0`).
    public init(incoming event: CloudEvent, body: [UInt8]? = nil, appID: String, timestamp: UInt64) {
        self.init(event: event, timestamp: timestamp, body: body)
        properties.appID = appID
        mustReachAStage = Self.typesStagesConsume.contains(event.type)
    }

    /// Every type a stage's queue takes, gathered once rather than per request.
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
