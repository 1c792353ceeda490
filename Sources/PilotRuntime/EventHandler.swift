import Logging
import PilotJSON

/// A stage's business logic: a function of the incoming event that returns what
/// should happen. It never touches a channel; the runtime carries out the outcome
/// and acks only after it is done.
public protocol EventHandler: Sendable {
    /// Handles one event. Throw `HandlerRejection` for an event that can never succeed
    /// (it is dead-lettered at once); any other error is retried with backoff.
    func handle(_ event: CloudEvent, context: HandlerContext) throws -> HandlerOutcome
}

/// What a handler may know about the delivery.
public struct HandlerContext: Sendable {
    public var stage: Stage
    /// 1 on the first try, 2 on the first retry, and so on.
    public var attempt: Int
    /// True when the broker redelivered the message (a worker died before acking it).
    public var redelivered: Bool
    /// Logs with the event's `thread_id`, `event_id` and `stage`.
    public var log: EventLog

    public init(stage: Stage, attempt: Int, redelivered: Bool, log: EventLog) {
        self.stage = stage
        self.attempt = attempt
        self.redelivered = redelivered
        self.log = log
    }
}

/// The events a handler wants published once its effects are done.
public struct HandlerOutcome: Sendable {
    public var events: [OutgoingEvent]

    public init(events: [OutgoingEvent] = []) {
        self.events = events
    }
}

/// An event to publish to `pilot.events`, derived from the event being handled.
public struct OutgoingEvent: Sendable {
    public var event: CloudEvent

    public init(event: CloudEvent) {
        self.event = event
    }

    /// An event caused by `cause`, with an id derived from it.
    public init(
        type: String, causedBy cause: CloudEvent, data: JSONValue, discriminator: String = "",
        source: String = "/pilot-worker", time: String
    ) {
        self.init(event: CloudEvent(
            id: DerivedID.make(cause: cause.id, type: type, discriminator: discriminator),
            source: source, type: type, subject: cause.subject, time: time, causationID: cause.id, data: data))
    }
}

/// An event that can never be handled (unknown pilot, wrong state): dead-lettered
/// at once with `reason` as `x-error-reason`.
public struct HandlerRejection: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public var detail: String

    public init(reason: String, detail: String) {
        self.reason = reason
        self.detail = detail
    }

    public var description: String { "\(reason): \(detail)" }
}
