import Contracts
import Foundation
import Logging
import PilotAMQP
import PilotJSON
import PilotStageAPI

/// The failure policy, in one place: turns one delivery into the messages to publish
/// before it is acked: the handler's events, a retry, or a dead letter.
///
/// It works in two steps that do no I/O, so the runtime can run them outside any lock and
/// tests can run them without a broker: `inspect` reads the body (size, content type,
/// JSON, envelope, route, schema), and `run` calls the stage's handler with the pilot's
/// snapshot and turns what it returns or throws into a verdict.
///
/// Every delivery ends in an ack; nothing is requeued, so a poison message can never
/// spin in a hot loop.
public struct DeliveryProcessor: Sendable {
    public var stage: Stage
    public var definition: StageDefinition
    public var policy: FailurePolicy
    /// The schemas every incoming event and every event the handler emits must meet
    /// (a worker bug must never publish a contract-breaking event); nil checks nothing.
    public var contracts: Contracts?
    /// The length of a pilot day (`PILOT_DAY_SECONDS`): events delayed by a day wait this
    /// long in the timer queue, and handlers read it in their context to date their timers.
    public var dayLength = Topology().dayLength {
        didSet { timerQueue = Topology(stages: [], dayLength: dayLength).timerQueue }
    }
    /// Where events delayed by a day wait (`Topology.timerQueue`).
    public private(set) var timerQueue = Topology().timerQueue
    public var clock = WallClock.system

    public init(stage: Stage, definition: StageDefinition, policy: FailurePolicy = .init(), contracts: Contracts? = nil) {
        self.stage = stage
        self.definition = definition
        self.policy = policy
        self.contracts = contracts
    }

    /// What became of a delivery, for logs, metrics and tests.
    public enum Verdict: Sendable, Equatable {
        case handled(events: Int)
        /// The event id is in the inbox: its effects were committed before.
        case duplicate
        case retry(attempt: Int, delay: Duration)
        case dead(reason: String)
    }

    /// What to do with one delivery: publish `publications`, then ack. `outbox` names the
    /// publications that are also outbox rows, to be marked sent after their confirms.
    public struct Result: Sendable {
        public var verdict: Verdict
        public var publications: [Publication]
        public var outbox: [String] = []
    }

    /// A delivery that passed every check and is ready for its handler.
    public struct Incoming: Sendable {
        public var delivery: AMQPDelivery
        public var event: CloudEvent
        public var route: StageDefinition.Route
        public var attempt: Int
        public var log: EventLog
        var started: ContinuousClock.Instant
    }

    public enum Inspection: Sendable {
        /// Settled without a handler (dead-lettered).
        case done(Result)
        case ready(Incoming)
    }

    /// What the handler made of an incoming event.
    public enum Planned: Sendable {
        /// Handled: the outcome to apply and the publications of its events.
        case handled(StageOutcome, [Publication])
        /// Refused or failed: a retry or a dead letter, nothing to apply.
        case done(Result)
    }

    /// Handles one delivery without a store: the handler sees an empty snapshot, and its
    /// events are published directly. `logger` should already carry the consumer's own
    /// metadata (stage, consumer).
    public func process(_ delivery: AMQPDelivery, logger: Logger) -> Result {
        switch inspect(delivery, logger: logger) {
        case .done(let result): return result
        case .ready(let incoming):
            switch run(incoming, snapshot: PilotSnapshot()) {
            case .done(let result): return result
            case .handled(_, let publications):
                incoming.log.debug("handled", ["published": .stringConvertible(publications.count)])
                return Result(verdict: .handled(events: publications.count), publications: publications)
            }
        }
    }

    /// Checks a delivery up to its handler: size, content type, JSON, envelope and
    /// thread id, route, schema. What fails here is dead-lettered at once.
    public func inspect(_ delivery: AMQPDelivery, logger base: Logger) -> Inspection {
        var logger = EventLog(logger: base)
        let attempt = FailurePolicy.attempt(afterRecorded: delivery.properties.header(Header.attempts)?.intValue)
        let started = ContinuousClock.now
        func dead(_ reason: DeadLetterReason, _ detail: String) -> Inspection {
            .done(self.dead(delivery, reason.rawValue, detail, attempt, logger))
        }

        guard delivery.body.count <= policy.maxBodyBytes else {
            return dead(.tooLarge, "body of \(delivery.body.count) bytes exceeds the limit of \(policy.maxBodyBytes) bytes")
        }
        if let problem = ContentType.problem(with: delivery.properties.contentType) {
            return dead(.unsupportedContentType, problem)
        }
        // Read where json-c parsed it: the envelope, the route and the schema need no Swift
        // tree, and a handler that never asks for the data never pays for one.
        let document: ParsedJSON
        do {
            document = try ParsedJSON(parsing: delivery.body)
        } catch {
            return dead(.malformedJSON, error.description)
        }
        let event: CloudEvent
        do {
            event = try CloudEvent(parsed: document)
        } catch {
            return dead(.invalidEnvelope, error.description)
        }
        logger.metadata = [
            "thread_id": .string(event.subject), "event_id": .string(event.id), "event_type": .string(event.type),
        ]
        guard let route = definition.routes[event.type] else {
            return dead(.unknownType, "type \"\(event.type)\" is not handled by stage \(stage.name) (it takes \(stage.routingKeys.joined(separator: ", ")))")
        }
        if let violation = contracts?.violation(of: document) {
            return dead(violation.deadLetterReason, violation.summary)
        }
        return .ready(Incoming(delivery: delivery, event: event, route: route, attempt: attempt, log: logger, started: started))
    }

    /// Runs the handler on `snapshot` and checks the events it wants published against
    /// their schemas. A refusal or an error becomes a retry or a dead letter.
    public func run(_ incoming: Incoming, snapshot: PilotSnapshot) -> Planned {
        let delivery = incoming.delivery
        let attempt = incoming.attempt
        let logger = incoming.log
        let now = clock.now()
        let context = StageContext(
            stage: stage.name, attempt: attempt, redelivered: delivery.redelivered, log: logger, now: now, body: delivery.body,
            pilotDay: Double(dayLength.milliseconds) / 1000)
        do {
            let outcome = try incoming.route.handle(incoming.event, snapshot, context)
            let timestamp = UInt64(now.timeIntervalSince1970)
            var publications: [Publication] = []
            publications.reserveCapacity(outcome.events.count)
            for outgoing in outcome.events {
                if let violation = contracts?.violation(of: outgoing.event.document) {
                    throw OutboundContractError(type: outgoing.event.type, fault: violation.summary)
                }
                var publication = Publication(event: outgoing.event, timestamp: timestamp)
                if outgoing.afterOneDay {
                    // The timer queue dead-letters it to pilot.events a day later.
                    publication.exchange = ""
                    publication.routingKey = timerQueue
                }
                if let queue = outgoing.queue {
                    publication.exchange = ""
                    publication.routingKey = queue
                }
                if let body = outgoing.body { publication.body = body }
                publication.properties.headers += outgoing.headers.map { ($0.0, .string($0.1)) }
                publications.append(publication)
            }
            return .handled(outcome, publications)
        } catch let refusal as Refusal {
            switch refusal.kind {
            case .never:
                return .done(dead(delivery, refusal.reason, refusal.detail, attempt, logger))
            case .notYet:
                guard let delay = policy.retryDelay(afterAttempt: attempt) else {
                    return .done(dead(delivery, refusal.reason, "still so after \(attempt) attempts: \(refusal.detail)", attempt, logger))
                }
                logger.info("early for the pilot's state, will retry", [
                    "attempt": .stringConvertible(attempt), "retry_in": .string("\(delay)"), "detail": .string(refusal.detail),
                ])
                return .done(Result(
                    verdict: .retry(attempt: attempt, delay: delay),
                    publications: [retry(delivery, attempt: attempt, delay: delay, error: refusal.description)]))
            }
        } catch {
            return .done(failed(delivery, attempt: attempt, error: error, logger))
        }
    }

    /// A duplicate: the event id is in the inbox, its effects were committed before.
    func duplicate(_ incoming: Incoming) -> Result {
        incoming.log.info("duplicate delivery ignored: already handled", ["attempt": .stringConvertible(incoming.attempt)])
        return Result(verdict: .duplicate, publications: [])
    }

    /// A handler error: retried after the tier's delay, or dead-lettered once attempts run out.
    private func failed(_ delivery: AMQPDelivery, attempt: Int, error: any Error, _ logger: EventLog) -> Result {
        let detail = String(describing: error)
        guard var delay = policy.retryDelay(afterAttempt: attempt) else {
            return dead(delivery, DeadLetterReason.handlerFailed.rawValue, "failed \(attempt) times; last error: \(detail)", attempt, logger)
        }
        if let later = error as? RetryLater { delay = max(delay, policy.retryDelay(atLeast: later.delay)) }
        logger.warning("handler failed, will retry", [
            "attempt": .stringConvertible(attempt), "retry_in": .string("\(delay)"), "error": .string(detail),
        ])
        return Result(verdict: .retry(attempt: attempt, delay: delay), publications: [retry(delivery, attempt: attempt, delay: delay, error: detail)])
    }

    private func retry(_ delivery: AMQPDelivery, attempt: Int, delay: Duration, error: String) -> Publication {
        var properties = delivery.properties
        properties.persistent = true
        properties.headers = mergedHeaders(delivery, [
            (Header.attempts, .int(Int64(attempt))),
            (Header.lastError, .string(String(error.prefix(500)))),
        ])
        // Routed by the tier's fanout exchange; the routing key brings it back to our queue on expiry.
        return Publication(
            exchange: Topology.delayTierName(delay), routingKey: stage.queue, properties: properties, body: delivery.body)
    }

    private func dead(
        _ delivery: AMQPDelivery, _ reason: String, _ detail: String, _ attempt: Int, _ logger: EventLog
    ) -> Result {
        logger.error("dead-lettered", [
            "reason": .string(reason), "detail": .string(String(detail.prefix(300))),
            "attempts": .stringConvertible(attempt), "dead_queue": .string(stage.deadQueue),
        ])
        var properties = delivery.properties
        properties.persistent = true
        properties.headers = mergedHeaders(delivery, [
            (Header.errorReason, .string(reason)),
            (Header.errorDetail, .string(String(detail.prefix(1000)))),
            (Header.attempts, .int(Int64(attempt))),
        ])
        let publication = Publication(exchange: "", routingKey: stage.deadQueue, properties: properties, body: delivery.body)
        return Result(verdict: .dead(reason: reason), publications: [publication])
    }

    /// The delivery's headers with `updates` applied, plus where it first came from and
    /// when it first failed, which survive every retry hop. The broker's `x-death` history
    /// stays behind: the broker writes its own on the copy, and how a broker treats one a
    /// client sent differs between versions (RabbitMQ 4 drops it). Its `x-first-death-*`
    /// strings stay.
    private func mergedHeaders(_ delivery: AMQPDelivery, _ updates: [(String, AMQPFieldValue)]) -> [(String, AMQPFieldValue)] {
        let incoming = delivery.properties.headers.filter { $0.0 != Header.brokerDeaths }
        let merged = mergedHeaders(incoming, delivery, updates, keepingOriginals: true)
        guard !fits(delivery, merged) else { return merged }
        // A sender's headers this close to the frame's size leave no room for ours: the copy
        // could be neither retried nor dead-lettered, and the session would die on it at
        // every delivery. The sender's headers go, counted; ours stay while they fit.
        let ours = DeadLetterQueue.failureHeaders.union([Header.droppedHeaders])
        let before = delivery.properties.header(Header.droppedHeaders)?.intValue ?? 0
        let sender = incoming.count { !ours.contains($0.0) }
        let kept = incoming.filter { ours.contains($0.0) && $0.0 != Header.droppedHeaders }
        let lean = mergedHeaders(kept + [(Header.droppedHeaders, .int(before + Int64(sender)))], delivery, updates, keepingOriginals: true)
        if fits(delivery, lean) { return lean }
        // Headers named like ours but filled by a sender: only what this hop sets stays.
        let count = before + Int64(incoming.count)
        return mergedHeaders([(Header.droppedHeaders, .int(count))], delivery, updates, keepingOriginals: false)
    }

    private func fits(_ delivery: AMQPDelivery, _ headers: [(String, AMQPFieldValue)]) -> Bool {
        var copy = delivery.properties
        copy.persistent = true
        copy.headers = headers
        return copy.encodedSize <= delivery.propertiesLimit
    }

    /// `base` with the updates, and where the event first came from and first failed: kept
    /// from an earlier failure's headers when `keepingOriginals`, else set afresh.
    private func mergedHeaders(
        _ base: [(String, AMQPFieldValue)], _ delivery: AMQPDelivery, _ updates: [(String, AMQPFieldValue)], keepingOriginals: Bool
    ) -> [(String, AMQPFieldValue)] {
        var headers = base.filter { name, _ in !updates.contains { $0.0 == name } }
        if !keepingOriginals || delivery.properties.header(Header.originalRoutingKey) == nil {
            headers.append((Header.originalRoutingKey, .string(delivery.routingKey)))
            headers.append((Header.originalExchange, .string(delivery.exchange)))
        }
        if !keepingOriginals || delivery.properties.header(Header.firstFailedAt) == nil {
            headers.append((Header.firstFailedAt, .string(EventTime.string(clock.now()))))
        }
        return headers + updates
    }
}

/// The handler produced an event its own schema refuses: a bug in the worker.
struct OutboundContractError: Error, CustomStringConvertible {
    var type: String
    var fault: String
    var description: String { "refusing to publish an invalid \(type) event: \(fault)" }
}

extension Contracts {
    /// Why `document` breaks its contract, or nil when it meets it.
    func violation(of document: JSONValue) -> ContractViolation? {
        Self.violation { () throws(ContractViolation) in try validate(event: document) }
    }

    /// The same for a document read where json-c parsed it.
    func violation(of document: ParsedJSON) -> ContractViolation? {
        Self.violation { () throws(ContractViolation) in try validate(event: document) }
    }

    private static func violation(_ check: () throws(ContractViolation) -> Void) -> ContractViolation? {
        do {
            try check()
            return nil
        } catch {
            return error
        }
    }
}

extension ContractViolation {
    /// The dead-letter reason in the runtime's vocabulary.
    var deadLetterReason: DeadLetterReason {
        switch reason {
        case .notAnObject, .invalidEnvelope: .invalidEnvelope
        case .unknownType: .unknownType
        case .schemaMismatch: .schemaViolation
        }
    }

    /// The first few errors on one line, for `x-error-detail` and logs.
    var summary: String {
        let shown = errors.prefix(3).map(\.message)
        let more = errors.count > 3 ? " (and \(errors.count - 3) more)" : ""
        return shown.joined(separator: "; ") + more
    }
}
