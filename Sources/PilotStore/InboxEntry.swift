/// An event the worker has handled: the inbox that makes redeliveries harmless, and the
/// per-pilot event log an operator reads with `pilotctl pilot trace`.
public struct InboxEntry: Sendable, Equatable {
    public var eventID: String
    public var threadID: String?
    /// The event `type`.
    public var type: String?
    public var causationID: String?
    public var stage: String?
    /// Which worker handled it, e.g. `host:pid`.
    public var worker: String?
    /// RFC 3339.
    public var handledAt: String?
    public var durationMilliseconds: Double?
    /// What came of it, e.g. `ok`, `ignored`, `dead_lettered`.
    public var outcome: String?

    public init(
        eventID: String, threadID: String? = nil, type: String? = nil, causationID: String? = nil,
        stage: String? = nil, worker: String? = nil, handledAt: String? = nil,
        durationMilliseconds: Double? = nil, outcome: String? = nil
    ) {
        self.eventID = eventID
        self.threadID = threadID
        self.type = type
        self.causationID = causationID
        self.stage = stage
        self.worker = worker
        self.handledAt = handledAt
        self.durationMilliseconds = durationMilliseconds
        self.outcome = outcome
    }
}
