import Contracts
import Foundation
import PilotAMQP
import PilotJSON

/// A message in a stage's `.dead` queue, with why it is there.
public struct DeadLetter: Sendable {
    public var delivery: AMQPDelivery
    public var reason: String
    public var detail: String
    public var attempts: Int64
    public var firstFailedAt: String?
    /// Where a replay sends it: under this routing key to `pilot.events`, or to the queue of
    /// this name when `addressedToQueue`.
    public var originalRoutingKey: String?
    /// A copy addressed to one queue (a webhook receiver's), or one the broker moved out of a
    /// queue: it goes back to that queue only, not to every queue bound to its type.
    public var addressedToQueue: Bool
    public var threadID: String?
    public var eventID: String?

    init(_ delivery: AMQPDelivery) {
        self.delivery = delivery
        let properties = delivery.properties
        if let reason = properties.header(Header.errorReason)?.stringValue {
            self.reason = reason
            detail = properties.header(Header.errorDetail)?.stringValue ?? ""
        } else if let death = Self.lastDeath(properties) {
            // Dead-lettered by the broker, not by a worker: the stage queue's policy.
            let queue = death.queue ?? "the stage queue"
            self.reason = death.reason
            detail = death.reason == "delivery_limit"
                ? "the broker moved it from \(queue) after \(Topology.deliveryLimit) deliveries without an ack: it may crash the worker, or the store failed that long"
                : "dead-lettered by the broker from \(queue)"
        } else {
            reason = "unknown"
            detail = ""
        }
        attempts = properties.header(Header.attempts)?.intValue ?? 0
        firstFailedAt = properties.header(Header.firstFailedAt)?.stringValue
        let document = try? JSONValue(parsing: delivery.body)
        if let routingKey = properties.header(Header.originalRoutingKey)?.stringValue {
            originalRoutingKey = routingKey
            addressedToQueue = properties.header(Header.originalExchange)?.stringValue == ""
        } else if let death = Self.lastDeath(properties), death.reason != "expired", let queue = death.queue {
            // The broker moved it out of a queue that consumes it, and says which; the other
            // queues had their copies. (A death by expiry was in a waiting room, a day timer
            // or a retry tier, whose expiry routed it on: such a letter goes by its type.)
            originalRoutingKey = queue
            addressedToQueue = true
        } else {
            // Properties are optional (the contract routes by the body's type).
            originalRoutingKey = properties.type ?? document?["type"]?.string
            addressedToQueue = false
        }
        threadID = properties.correlationID ?? document?["subject"]?.string
        eventID = properties.messageID ?? document?["id"]?.string
    }

    /// The reason and queue of the broker's last dead-lettering: the first entry of
    /// `x-death`, else (a history this client could not read) `x-first-death-*`. A day
    /// tick's first death is its expiry in the timer queue; what put it here came after.
    /// The queue is nil when the broker did not name it.
    static func lastDeath(_ properties: AMQPProperties) -> (reason: String, queue: String?)? {
        if let last = properties.header(Header.brokerDeaths)?.arrayValue?.first,
            let reason = last[field: "reason"]?.stringValue
        {
            return (reason, last[field: "queue"]?.stringValue)
        }
        guard let reason = properties.header("x-first-death-reason")?.stringValue else { return nil }
        return (reason, properties.header("x-first-death-queue")?.stringValue)
    }

    /// Seconds since it first failed, when known.
    public func age(now: Date = Date()) -> TimeInterval? {
        firstFailedAt.flatMap(EventTime.date).map { now.timeIntervalSince($0) }
    }
}

/// Reads and replays dead letters. Browsing takes messages with `basic.get` and no
/// ack; closing the connection puts back every one not replayed, so listing never
/// removes anything.
public struct DeadLetterQueue {
    public let stage: Stage
    /// Selects which dead letters a command acts on.
    public struct Filter: Sendable {
        public var threadID: String?
        public var reason: String?
        public init(threadID: String? = nil, reason: String? = nil) {
            self.threadID = threadID
            self.reason = reason
        }
        func matches(_ letter: DeadLetter) -> Bool {
            (threadID == nil || letter.threadID == threadID) && (reason == nil || letter.reason == reason)
        }
    }

    public init(stage: Stage) {
        self.stage = stage
    }

    /// Up to `limit` dead letters matching `filter`, oldest first, left unacked on
    /// `connection` (close it to return them to the queue).
    public func browse(_ connection: AMQPConnection, filter: Filter = .init(), limit: Int = 1000) throws -> [DeadLetter] {
        var letters: [DeadLetter] = []
        var taken = 0
        while taken < limit, let delivery = try connection.get(queue: stage.deadQueue) {
            taken += 1
            let letter = DeadLetter(delivery)
            if filter.matches(letter) { letters.append(letter) }
        }
        return letters
    }

    /// Publishes each dead letter back to `pilot.events` under its original routing key (or
    /// to the one queue it was addressed to or moved from: `DeadLetter.addressedToQueue`),
    /// with its failure headers removed and the attempt count reset, waits for the
    /// broker's confirm, and only then acks (removes) the dead letter. Interrupted half
    /// way, a dead letter is either still in the queue or already replayed — and a replay
    /// of an event that was in fact handled is absorbed by the worker's inbox.
    /// - Parameter confirmed: called between the confirm of a copy and the removal of its
    ///   dead letter (crash tests stop the process there).
    public func replay(
        _ letters: [DeadLetter], from connection: AMQPConnection, publisher: AMQPConnection,
        confirmed: (DeadLetter) -> Void = { _ in }
    ) throws -> Int {
        var replayed = 0
        for letter in letters {
            guard let routingKey = letter.originalRoutingKey else { continue }
            var properties = letter.delivery.properties
            properties.persistent = true
            properties.headers = properties.headers.filter {
                !Self.failureHeaders.contains($0.0) && !Self.brokerDeathHeaders.contains($0.0)
            } + [
                ("x-replayed-from", .string(stage.deadQueue)), ("x-replayed-at", .string(EventTime.string(Date()))),
            ]
            let exchange = letter.addressedToQueue ? "" : Topology.exchange
            // Mandatory: the broker confirms a copy no queue took as readily as a stored one,
            // and the dead letter would then be removed with its only copy dropped.
            try publisher.publish(
                exchange: exchange, routingKey: routingKey, properties: properties, body: letter.delivery.body, mandatory: true)
            // Through a Result: `catch where error.kind == .returned` here crashes Swift 6.3.1's
            // SIL ownership verifier ("Found ownership error") in a debug build.
            let outcome: Result<Void, AMQPError> = Result { () throws(AMQPError) in try publisher.waitForConfirms() }
            if case .failure(let error) = outcome {
                guard error.kind == .returned else { throw error }
                throw UnroutableReplay(eventID: letter.eventID, exchange: exchange, routingKey: routingKey, replayed: replayed)
            }
            confirmed(letter)
            try connection.ack(letter.delivery.deliveryTag)
            replayed += 1
        }
        return replayed
    }

    /// No queue took a replayed copy: the dead letter stays, and so do the ones after it.
    public struct UnroutableReplay: Error, CustomStringConvertible {
        public var eventID: String?
        public var exchange: String
        public var routingKey: String
        /// Dead letters replayed before this one.
        public var replayed: Int

        public var description: String {
            let target = exchange.isEmpty ? "queue \(routingKey)" : "\(exchange) with routing key \(routingKey)"
            return "no queue took the copy of dead letter \(eventID ?? "(no event id)") sent to \(target), so it stays in the dead queue"
                + " with the ones after it (\(replayed) replayed before it); declare the queue or its binding (pilotctl topology apply) and replay again"
        }
    }

    /// Headers the runtime set when the message failed; a replay starts afresh.
    static let failureHeaders: Set<String> = [
        Header.attempts, Header.errorReason, Header.errorDetail, Header.firstFailedAt, Header.lastError,
        Header.originalRoutingKey, Header.originalExchange,
    ]

    /// The broker's account of an earlier death: a replayed copy starts a history of its
    /// own, so a later death names the queue it died in then.
    static let brokerDeathHeaders: Set<String> = ["x-first-death-queue", "x-first-death-reason", "x-first-death-exchange", Header.brokerDeaths]
}
