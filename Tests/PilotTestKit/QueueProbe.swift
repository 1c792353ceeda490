import Contracts
import Foundation
import PilotAMQP
import PilotJSON
import PilotRuntime
import PilotStageAPI

/// Publishes events and reads queues over its own connection, as an upstream system
/// or an operator would.
public final class QueueProbe {
    public private(set) var connection: AMQPConnection
    private let url: String

    public init(url: String) throws {
        self.url = url
        connection = try AMQPConnection(url: AMQPURL(url))
        try connection.enableConfirms()
    }

    /// A new connection, after the broker dropped the old one.
    public func reconnect() throws {
        connection.close()
        connection = try AMQPConnection(url: AMQPURL(url))
        try connection.enableConfirms()
    }

    /// Declares the worker's topology and a queue `name` bound to `routingKeys`, to watch
    /// what the worker publishes.
    public func tap(_ name: String, routingKeys: [String], topology: Topology = Topology()) throws {
        try topology.declare(on: connection)
        try connection.declareQueue(name, arguments: [("x-queue-type", .string("quorum"))])
        for key in routingKeys { try connection.bindQueue(name, exchange: Topology.exchange, routingKey: key) }
    }

    /// Publishes an event to `pilot.events` and waits for the confirm.
    public func publish(_ event: CloudEvent) throws {
        try publish([event])
    }

    /// Publishes events in order and waits once for all their confirms.
    public func publish(_ events: some Collection<CloudEvent>) throws {
        let timestamp = UInt64(Date().timeIntervalSince1970)
        for event in events { try connection.publish(Publication(event: event, timestamp: timestamp)) }
        try connection.waitForConfirms()
    }

    /// Publishes raw bytes with `routingKey` to `pilot.events` and waits for the confirm.
    public func publishRaw(_ body: [UInt8], routingKey: String, messageID: String = UUID().uuidString) throws {
        try connection.publish(
            exchange: Topology.exchange, routingKey: routingKey,
            properties: AMQPProperties(contentType: "application/cloudevents+json", messageID: messageID), body: body)
        try connection.waitForConfirms()
    }

    /// Takes up to `count` messages from `queue`, waiting up to `timeout` for them; acks each.
    public func take(_ count: Int, from queue: String, timeout: Duration = .seconds(30)) async throws -> [AMQPDelivery] {
        var taken: [AMQPDelivery] = []
        let deadline = ContinuousClock.now + timeout
        while taken.count < count, ContinuousClock.now < deadline {
            if let delivery = try connection.get(queue: queue) {
                try connection.ack(delivery.deliveryTag)
                taken.append(delivery)
            } else {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        return taken
    }

    /// Messages ready in `queue` right now.
    public func depth(_ queue: String) throws -> Int {
        Int(try connection.declareQueue(queue, passive: true).messages)
    }
}

/// Builds inbound events the way an upstream system would.
public enum TestEvents {
    /// The `data` of `examples/pilot.requested.json`, a valid pilot request.
    public static let sampleRequest: JSONValue = {
        let path = packageRoot.appendingPathComponent("examples/pilot.requested.json").path
        let document = try! JSONValue(parsing: Array(FileManager.default.contents(atPath: path)!))
        return document["data"]!
    }()

    /// The schemas of the repository, compiled once per test process.
    public static let contracts: Contracts = try! Contracts(schemasDirectory: packageRoot.appendingPathComponent("schemas").path)

    /// A valid `pilot.requested` for `subject`, with CloudEvents extension attributes
    /// such as the echo handler's `echodelayms` and `echofailattempts`.
    public static func request(
        subject: String = "acme-2026-11", id: String = UUID().uuidString, extensions: [String: JSONValue] = [:]
    ) -> CloudEvent {
        let event = make(type: "pilot.requested", subject: subject, id: id, data: sampleRequest)
        guard !extensions.isEmpty, var document = event.document.object else { return event }
        for (name, value) in extensions { document[name] = value }
        return try! CloudEvent(document: .object(document))
    }

    public static func make(
        type: String = "pilot.requested", subject: String = "acme-2026-11", id: String = UUID().uuidString,
        data: JSONValue = [:]
    ) -> CloudEvent {
        CloudEvent(
            id: id, source: "/tests", type: type, subject: subject, time: "2026-11-25T09:00:00Z", causationID: nil,
            data: data)
    }
}
