import PilotJSON

/// What a handler wants done: documents written, the pilot's new state saved, monitoring
/// data stored and events published, all together or not at all. The runtime does it and
/// acks the delivery only after it is done.
public struct StageOutcome: Sendable {
    public var events: [OutgoingEvent]
    public var documents: [Document]
    /// The pilot's new record; nil leaves it as it is.
    public var pilot: PilotUpdate?
    /// Monitoring data to store with the state.
    public var records: [MonitoringRecord]

    public init(events: [OutgoingEvent] = [], documents: [Document] = [], pilot: PilotUpdate? = nil, records: [MonitoringRecord] = []) {
        self.events = events
        self.documents = documents
        self.pilot = pilot
        self.records = records
    }
}

/// A pilot record to save: the stage saving it, the new status and the new state.
public struct PilotUpdate: Sendable, Equatable {
    public var stage: String
    public var status: String
    public var state: JSONValue

    public init(stage: String, status: String, state: JSONValue) {
        self.stage = stage
        self.status = status
        self.state = state
    }
}

/// A row of monitoring data, stored under the event being handled.
public enum MonitoringRecord: Sendable, Equatable {
    /// A day's metrics; replaces an earlier report for the same day.
    case metrics(day: Int, data: JSONValue, receivedAt: String)
    /// An issue's latest state, with a history entry of its status.
    case issue(id: String, status: String, data: JSONValue, at: String)
    /// A feedback response.
    case feedback(data: JSONValue, submittedAt: String?)
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
