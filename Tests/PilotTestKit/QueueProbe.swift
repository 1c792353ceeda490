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
    /// One URL, or a cluster's node URLs: a reconnect moves on to the next node that answers.
    private let urls: [String]
    private var node = 0
    /// Messages handed to the broker by `publish` and `publishRaw`, re-sends included.
    public private(set) var sent = 0
    /// Of those, how many the broker confirmed (basic.ack in confirm mode): counted only
    /// once `waitForConfirms` has returned and the channel reports every sequence
    /// number up to the last one confirmed.
    public private(set) var confirmed = 0

    /// `url`: one node's URL, or several separated by commas (as `PILOT_AMQP_URL`).
    public init(url: String) throws {
        urls = url.split(separator: ",").map(String.init)
        connection = try AMQPConnection(url: AMQPURL(urls[0]))
        try connection.enableConfirms()
    }

    /// A new connection, after the broker dropped the old one: to the same node, or else
    /// the next one of a cluster that answers.
    public func reconnect() throws {
        connection.close()
        var failure: (any Error)?
        for offset in 0..<urls.count {
            let candidate = (node + offset) % urls.count
            do {
                connection = try AMQPConnection(url: AMQPURL(urls[candidate]))
                try connection.enableConfirms()
                node = candidate
                return
            } catch {
                failure = error
            }
        }
        throw failure!
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
        for event in events {
            sent += 1
            try connection.publish(Publication(event: event, timestamp: timestamp))
        }
        try awaitConfirms(events.count)
    }

    /// Waits for the broker's confirms of the last `count` publishes and counts them.
    private func awaitConfirms(_ count: Int) throws {
        try connection.waitForConfirms()
        guard try connection.isConfirmed(upTo: connection.lastPublishedSequence) else {
            throw ShellError(command: "wait for publisher confirms", status: -1, output: "returned before every confirm arrived")
        }
        confirmed += count
    }

    /// Publishes raw bytes with `routingKey` to `pilot.events` and waits for the confirm.
    public func publishRaw(_ body: [UInt8], routingKey: String, messageID: String = UUID().uuidString) throws {
        sent += 1
        try connection.publish(
            exchange: Topology.exchange, routingKey: routingKey,
            properties: AMQPProperties(contentType: "application/cloudevents+json", messageID: messageID), body: body)
        try awaitConfirms(1)
    }

    /// Takes exactly `count` messages from `queue`, acking each, waiting up to `timeout`
    /// for them; throws `WaitTimeout` (naming how many came) if fewer arrive.
    public func take(_ count: Int, from queue: String, timeout: Duration = .seconds(30)) async throws -> [AMQPDelivery] {
        var taken: [AMQPDelivery] = []
        do {
            try await waitUntil("\(count) message(s) in \(queue)", timeout: timeout, interval: .milliseconds(50)) {
                taken += try takeReady(upTo: count - taken.count, from: queue)
                return taken.count == count
            }
        } catch var timedOut as WaitTimeout {
            timedOut.awaited += " (\(taken.count) came)"
            throw timedOut
        }
        return taken
    }

    /// Takes the messages ready in `queue` now, up to `limit`, acking each; never waits.
    public func takeReady(upTo limit: Int, from queue: String) throws -> [AMQPDelivery] {
        var taken: [AMQPDelivery] = []
        while taken.count < limit, let delivery = try connection.get(queue: queue) {
            try connection.ack(delivery.deliveryTag)
            taken.append(delivery)
        }
        return taken
    }

    /// Messages ready in `queue` right now (delivered but unacked ones are not counted).
    public func depth(_ queue: String) throws -> Int {
        Int(try connection.declareQueue(queue, passive: true).messages)
    }

    /// Consumers of `queue` right now, as the broker counts them.
    public func consumers(_ queue: String) throws -> Int {
        Int(try connection.declareQueue(queue, passive: true).consumers)
    }

    /// Proves that nothing of `queue` is ready or unacked once its consumers are gone:
    /// a broker returns a dead consumer's unacked messages to ready in the same step
    /// that removes the consumer, so waiting for no consumers and then reading the ready
    /// count covers both. Call it after the consumers were stopped or killed.
    public func settledDepth(_ queue: String, timeout: Duration = .seconds(30)) async throws -> Int {
        try await waitUntil("the broker to drop the consumers of \(queue)", timeout: timeout) { try consumers(queue) == 0 }
        return try depth(queue)
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

    /// The sample `pilot.requested` for `thread` with a pilot of `days` days, id `req-<thread>`.
    public static func request(_ thread: String, days: Int) -> CloudEvent {
        var data = sampleRequest.object!
        var terms = data["terms"]!.object!
        terms["duration_days"] = .int(Int64(days))
        data["terms"] = .object(terms)
        return make(type: "pilot.requested", subject: thread, id: "req-\(thread)", data: .object(data))
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
