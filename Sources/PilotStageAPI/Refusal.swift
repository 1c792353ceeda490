/// A handler's verdict on an event it will not handle now, thrown from the handler.
///
/// `never`: the event can never be handled (a pilot already over, a day out of range);
/// it is dead-lettered at once with `reason` as `x-error-reason`.
///
/// `notYet`: the event is fine but early, the pilot is not yet in the state it needs.
/// RabbitMQ keeps no order across queues, competing consumers and redeliveries (a day's
/// metrics can overtake the signature), so it goes through the retry tiers like a failure
/// and is dead-lettered with `reason` only when the state never comes.
///
/// Any other error a handler throws is a failure, retried and then dead-lettered as
/// `handler_failed`.
public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case never
        case notYet
    }

    public var kind: Kind
    public var reason: String
    public var detail: String

    public init(_ kind: Kind, reason: String, detail: String) {
        self.kind = kind
        self.reason = reason
        self.detail = detail
    }

    public static func never(_ reason: String, _ detail: String) -> Refusal { Refusal(.never, reason: reason, detail: detail) }
    public static func notYet(_ reason: String, _ detail: String) -> Refusal { Refusal(.notYet, reason: reason, detail: detail) }

    public var description: String {
        switch kind {
        case .never: "\(reason): \(detail)"
        case .notYet: "not yet: \(detail)"
        }
    }
}

/// A temporary failure whose cause said when to try again (an HTTP `Retry-After`): retried
/// like any failure, through the first delay tier at least `delay` long (the longest tier
/// when none is), and dead-lettered when the attempts run out.
public struct RetryLater: Error, Sendable, CustomStringConvertible {
    public var delay: Duration
    public var detail: String

    public init(delay: Duration, detail: String) {
        self.delay = delay
        self.detail = detail
    }

    public var description: String { "\(detail) (retry asked after \(delay))" }
}
