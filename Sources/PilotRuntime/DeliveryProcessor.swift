import Contracts
import Foundation
import Logging
import PilotAMQP
import PilotJSON

/// The failure policy, in one place: turns one delivery into the messages to publish
/// before it is acked — the handler's events, a retry, or a dead letter.
///
/// Every delivery ends in an ack; nothing is requeued, so a poison message can never
/// spin in a hot loop. It does no I/O of its own, which keeps it testable without a broker.
public struct DeliveryProcessor: Sendable {
    public var stage: Stage
    public var handler: any EventHandler
    public var policy: FailurePolicy
    /// The schemas every incoming event and every event the handler emits must meet
    /// (a worker bug must never publish a contract-breaking event); nil checks nothing.
    public var contracts: Contracts?
    /// Where events delayed by a day wait (`Topology.timerQueue`).
    public var timerQueue = Topology().timerQueue
    public var now: @Sendable () -> Date = { Date() }

    public init(stage: Stage, handler: any EventHandler, policy: FailurePolicy = .init(), contracts: Contracts? = nil) {
        self.stage = stage
        self.handler = handler
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

    /// Handles one delivery without a store: the handler's events are published directly.
    /// `logger` should already carry the consumer's own metadata (stage, consumer).
    public func process(_ delivery: AMQPDelivery, logger: Logger) -> (Verdict, [Publication]) {
        // Without effects nothing can throw a store error.
        let result = try! process(delivery, logger: logger, effects: nil)
        return (result.verdict, result.publications)
    }

    /// Handles one delivery. With `effects`, inside the batch's store transaction: a
    /// duplicate is skipped, the handler sees the pilot's state, and files, state, inbox
    /// row and outbox rows are applied before anything is published.
    /// - Throws: `EffectFailure` when the store fails; the whole batch must then be rolled
    ///   back and redelivered, since a store error says nothing about this event.
    public func process(_ delivery: AMQPDelivery, logger base: Logger, effects: EffectScope?) throws(EffectFailure) -> Result {
        var logger = EventLog(logger: base)
        let attempt = Int(delivery.properties.header(Header.attempts)?.intValue ?? 0) + 1
        let started = ContinuousClock.now

        guard delivery.body.count <= policy.maxBodyBytes else {
            return dead(delivery, .tooLarge, "body of \(delivery.body.count) bytes exceeds the limit of \(policy.maxBodyBytes) bytes", attempt, logger)
        }
        if let problem = ContentType.problem(with: delivery.properties.contentType) {
            return dead(delivery, .unsupportedContentType, problem, attempt, logger)
        }
        let document: JSONValue
        do {
            document = try JSONValue(parsing: delivery.body)
        } catch {
            return dead(delivery, .malformedJSON, error.description, attempt, logger)
        }
        let event: CloudEvent
        do {
            event = try CloudEvent(document: document)
        } catch {
            return dead(delivery, .invalidEnvelope, error.description, attempt, logger)
        }
        logger.metadata = [
            "thread_id": .string(event.subject), "event_id": .string(event.id), "event_type": .string(event.type),
        ]
        guard stage.routingKeys.contains(event.type) else {
            return dead(delivery, .unknownType, "type \"\(event.type)\" is not handled by stage \(stage.name) (it takes \(stage.routingKeys.joined(separator: ", ")))", attempt, logger)
        }
        if let violation = contracts?.violation(of: document) {
            return dead(delivery, violation.deadLetterReason, violation.summary, attempt, logger)
        }
        if let effects, try effects.isHandled(event.id) {
            logger.info("duplicate delivery ignored: already handled", ["attempt": .stringConvertible(attempt)])
            return Result(verdict: .duplicate, publications: [])
        }

        var context = HandlerContext(stage: stage, attempt: attempt, redelivered: delivery.redelivered, log: logger)
        context.pilot = try effects?.pilot(event.subject)
        context.store = effects?.reader
        context.body = delivery.body
        let outcome: HandlerOutcome
        var publications: [Publication] = []
        do {
            outcome = try handler.handle(event, context: context)
            let timestamp = UInt64(now().timeIntervalSince1970)
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
            // Files first: if a write fails nothing of this event reaches the store, and a
            // crash after the writes just rewrites the same bytes on redelivery.
            try effects?.write(outcome.documents)
        } catch let rejection as HandlerRejection {
            return dead(delivery, rejection.reason, rejection.detail, attempt, logger)
        } catch let deferral as HandlerDeferral {
            guard let delay = policy.retryDelay(afterAttempt: attempt) else {
                return dead(delivery, deferral.reason, "still so after \(attempt) attempts: \(deferral.detail)", attempt, logger)
            }
            logger.info("early for the pilot's state, will retry", [
                "attempt": .stringConvertible(attempt), "retry_in": .string("\(delay)"), "detail": .string(deferral.detail),
            ])
            return Result(
                verdict: .retry(attempt: attempt, delay: delay),
                publications: [retry(delivery, attempt: attempt, delay: delay, error: deferral.description)])
        } catch {
            return failed(delivery, attempt: attempt, error: error, logger)
        }
        if let effects {
            let elapsed = ContinuousClock.now - started
            try effects.commit(event: event, outcome: outcome, publications: publications, elapsed: elapsed)
        }
        logger.debug("handled", [
            "published": .stringConvertible(publications.count), "attempt": .stringConvertible(attempt),
            "documents": .stringConvertible(outcome.documents.count),
        ])
        return Result(
            verdict: .handled(events: publications.count), publications: publications,
            outbox: effects == nil ? [] : publications.compactMap(\.properties.messageID))
    }

    /// A handler error: retried after the tier's delay, or dead-lettered once attempts run out.
    private func failed(_ delivery: AMQPDelivery, attempt: Int, error: any Error, _ logger: EventLog) -> Result {
        let detail = String(describing: error)
        guard var delay = policy.retryDelay(afterAttempt: attempt) else {
            return dead(delivery, DeadLetterReason.handlerFailed.rawValue, "failed \(attempt) times; last error: \(detail)", attempt, logger)
        }
        if let later = error as? HandlerRetryLater { delay = max(delay, policy.retryDelay(atLeast: later.delay)) }
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
        _ delivery: AMQPDelivery, _ reason: DeadLetterReason, _ detail: String, _ attempt: Int, _ logger: EventLog
    ) -> Result {
        dead(delivery, reason.rawValue, detail, attempt, logger)
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
    /// when it first failed, which survive every retry hop.
    private func mergedHeaders(_ delivery: AMQPDelivery, _ updates: [(String, AMQPFieldValue)]) -> [(String, AMQPFieldValue)] {
        var headers = delivery.properties.headers.filter { name, _ in !updates.contains { $0.0 == name } }
        if delivery.properties.header(Header.originalRoutingKey) == nil {
            headers.append((Header.originalRoutingKey, .string(delivery.routingKey)))
            headers.append((Header.originalExchange, .string(delivery.exchange)))
        }
        if delivery.properties.header(Header.firstFailedAt) == nil {
            headers.append((Header.firstFailedAt, .string(Timestamp.rfc3339(now()))))
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
        do {
            try validate(event: document)
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
