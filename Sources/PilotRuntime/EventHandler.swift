import Logging
import PilotJSON
import PilotStore

/// A stage's business logic: a function of the incoming event that returns what
/// should happen. It never touches a channel; the runtime carries out the outcome
/// and acks only after it is done.
public protocol EventHandler: Sendable {
    /// Handles one event. Throw `HandlerRejection` for an event that can never succeed
    /// (it is dead-lettered at once); any other error is retried with backoff.
    func handle(_ event: CloudEvent, context: HandlerContext) throws -> HandlerOutcome
}

/// What a handler may know about the delivery. Valid only during the `handle` call.
public struct HandlerContext {
    public var stage: Stage
    /// 1 on the first try, 2 on the first retry, and so on.
    public var attempt: Int
    /// True when the broker redelivered the message (a worker died before acking it).
    public var redelivered: Bool
    /// Logs with the event's `thread_id`, `event_id` and `stage`.
    public var log: EventLog
    /// The pilot's state as committed, when the worker runs with a store (nil for a
    /// pilot not seen yet).
    public var pilot: PilotRecord?
    /// Read access to the store inside the batch's transaction, for handlers that need
    /// more than the pilot record (daily metrics, issues, feedback).
    public var store: (any PilotStoreReader)?
    /// The message body as received, for handlers that pass the event on unchanged.
    public var body: [UInt8] = []

    public init(stage: Stage, attempt: Int, redelivered: Bool, log: EventLog) {
        self.stage = stage
        self.attempt = attempt
        self.redelivered = redelivered
        self.log = log
    }
}

/// What a handler wants done: documents written, the pilot's new state saved, and
/// events published, in that order and only all together.
public struct HandlerOutcome: Sendable {
    public var events: [OutgoingEvent]
    public var documents: [Document]
    /// The state to save; nil leaves the pilot as it is.
    public var pilot: PilotRecord?
    /// Monitoring data to store with the state.
    public var records: [StoreRecord]

    public init(events: [OutgoingEvent] = [], documents: [Document] = [], pilot: PilotRecord? = nil, records: [StoreRecord] = []) {
        self.events = events
        self.documents = documents
        self.pilot = pilot
        self.records = records
    }
}

/// A row of monitoring data a handler wants stored.
public enum StoreRecord: Sendable {
    case metrics(MetricsEntry)
    case issue(IssueEntry, IssueHistoryEntry)
    case feedback(FeedbackEntry)
}

/// An event to publish to `pilot.events`, derived from the event being handled.
public struct OutgoingEvent: Sendable {
    public var event: CloudEvent
    /// Deliver one pilot day from now, through the timer queue, instead of at once.
    public var afterOneDay = false
    /// Sent straight to this queue (through the default exchange) instead of `pilot.events`:
    /// the delivery stage hands one copy to each webhook receiver's own queue.
    public var queue: String?
    /// Published as is instead of the event serialized again (the bytes a receiver signs).
    public var body: [UInt8]?
    /// Extra message headers, e.g. `x-webhook-url`.
    public var headers: [(String, String)] = []

    public init(event: CloudEvent, afterOneDay: Bool = false) {
        self.event = event
        self.afterOneDay = afterOneDay
    }

    /// A copy of `event` for `queue`, carrying `body` unchanged.
    public init(forwarding event: CloudEvent, body: [UInt8], to queue: String, headers: [(String, String)] = []) {
        self.event = event
        self.queue = queue
        self.body = body
        self.headers = headers
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

/// An event that can never be handled (a pilot already closed, a day out of range):
/// dead-lettered at once with `reason` as `x-error-reason`.
public struct HandlerRejection: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public var detail: String

    public init(reason: String, detail: String) {
        self.reason = reason
        self.detail = detail
    }

    public var description: String { "\(reason): \(detail)" }
}

/// A temporary failure whose cause said when to try again (an HTTP `Retry-After`): retried
/// like any failure, through the first delay tier at least `delay` long (the longest tier
/// when none is), and dead-lettered when the attempts run out.
public struct HandlerRetryLater: Error, Sendable, CustomStringConvertible {
    public var delay: Duration
    public var detail: String

    public init(delay: Duration, detail: String) {
        self.delay = delay
        self.detail = detail
    }

    public var description: String { "\(detail) (retry asked after \(delay))" }
}

/// An event that is fine but early: the pilot is not yet in the state it needs. With
/// competing consumers, redeliveries and one queue per stage, RabbitMQ does not keep
/// events in the order they were published (a day's metrics can overtake the signature),
/// so the event is tried again through the retry tiers like a failure, and dead-lettered
/// with `reason` only when the state never came.
public struct HandlerDeferral: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public var detail: String

    public init(reason: String, detail: String) {
        self.reason = reason
        self.detail = detail
    }

    public var description: String { "not yet: \(detail)" }
}
