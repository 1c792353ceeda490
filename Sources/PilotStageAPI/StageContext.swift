import Contracts
import Foundation
import PilotJSON

/// What a stage handler may know besides the event and the snapshot. Made by the runtime
/// for each delivery; the handler reads the time here, never from the system clock, so a
/// test can give it any time it likes.
public struct StageContext: Sendable {
    /// The stage's name, e.g. `monitoring`.
    public var stage: String
    /// 1 on the first try, 2 on the first retry, and so on.
    public var attempt: Int
    /// True when the broker redelivered the message (a worker died before acking it).
    public var redelivered: Bool
    /// Logs with the event's `thread_id`, `event_id` and `stage`.
    public var log: EventLog
    /// The injected clock's reading when the delivery was taken: the `time` of the events
    /// the handler derives.
    public var now: Date
    /// The message body as received, for handlers that pass the event on unchanged.
    public var body: [UInt8]
    /// How long an event published with `afterOneDay` waits (`PILOT_DAY_SECONDS`), so a
    /// timer can say when it will be due.
    public var pilotDay: TimeInterval

    public init(
        stage: String, attempt: Int = 1, redelivered: Bool = false, log: EventLog, now: Date, body: [UInt8] = [],
        pilotDay: TimeInterval = 86_400
    ) {
        self.stage = stage
        self.attempt = attempt
        self.redelivered = redelivered
        self.log = log
        self.now = now
        self.body = body
        self.pilotDay = pilotDay
    }

    /// An event caused by `cause`, with an id derived from it and the context's time;
    /// `discriminator` tells apart two events of one type from the same cause.
    public func derived(_ type: String, from cause: CloudEvent, data: JSONValue, discriminator: String = "") -> OutgoingEvent {
        OutgoingEvent(type: type, causedBy: cause, data: data, discriminator: discriminator, time: EventTime.string(now))
    }
}
