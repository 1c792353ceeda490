import Foundation
/// How often and how late a failing event is tried again.
public struct FailurePolicy: Sendable {
    /// Bodies larger than this are dead-lettered unread.
    public var maxBodyBytes: Int = 1 << 20
    /// Total tries of a handler, the first included, before the event is dead-lettered.
    public var maxAttempts: Int = 5
    /// Delay before retry n is `retryDelays[min(n - 1, count - 1)]`.
    public var retryDelays: [Duration] = Topology.defaultRetryDelays

    public init() {}

    /// The delay before trying again after failed attempt `attempt` (1-based),
    /// or nil when the event has used up its attempts.
    public func retryDelay(afterAttempt attempt: Int) -> Duration? {
        guard attempt < maxAttempts, !retryDelays.isEmpty else { return nil }
        return retryDelays[max(0, min(attempt - 1, retryDelays.count - 1))]
    }

    /// The attempt a delivery is on: one more than its `x-attempts` header says were made.
    /// Any publisher on the exchange can set that header, so a value no retry of ours
    /// writes (negative, or past any real count) is clamped rather than trusted: `Int64.max`
    /// would overflow the addition, and a negative count would index before the first tier.
    public static func attempt(afterRecorded recorded: Int64?) -> Int {
        Int(min(max(recorded ?? 0, 0), Self.largestRecordedAttempts)) + 1
    }

    /// Far beyond any `maxAttempts`, so a clamped header still means "used up".
    static let largestRecordedAttempts: Int64 = 1 << 20

    /// The shortest tier at least `minimum` long, or the longest tier (retries go through
    /// tier queues, so a delay between tiers is rounded up).
    public func retryDelay(atLeast minimum: Duration) -> Duration {
        retryDelays.sorted().first { $0 >= minimum } ?? retryDelays.max() ?? minimum
    }
}

/// The values of `x-error-reason` on a dead letter.
public enum DeadLetterReason: String, Sendable, CaseIterable {
    /// The body is larger than the configured limit.
    case tooLarge = "too_large"
    /// The message says its body is something other than JSON (`content_type`).
    case unsupportedContentType = "unsupported_content_type"
    /// The body is not a JSON document.
    case malformedJSON = "malformed_json"
    /// The body is JSON but not a CloudEvents envelope we can route.
    case invalidEnvelope = "invalid_envelope"
    /// The event type is not one the stage handles.
    case unknownType = "unknown_type"
    /// The event breaks its JSON Schema.
    case schemaViolation = "schema_violation"
    /// The handler failed on every attempt.
    case handlerFailed = "handler_failed"
}

/// The message headers the runtime reads and writes.
public enum Header {
    public static let attempts = "x-attempts"
    public static let errorReason = "x-error-reason"
    public static let errorDetail = "x-error-detail"
    public static let firstFailedAt = "x-first-failed-at"
    public static let originalRoutingKey = "x-original-routing-key"
    public static let originalExchange = "x-original-exchange"
    public static let lastError = "x-last-error"
    /// How many of the sender's headers were dropped to make room for ours.
    public static let droppedHeaders = "x-dropped-headers"
    /// The broker's history of a message's deaths, most recent first: an array of tables
    /// with `queue`, `reason`, `count`, `exchange`, `routing-keys` and `time`.
    public static let brokerDeaths = "x-death"
}

/// Which `content_type` values a worker reads: CloudEvents structured mode and plain JSON,
/// in UTF-8. A missing one is read as JSON (some clients never set it); anything else
/// (text/plain, XML, another charset) says the body is not what we think it is.
public enum ContentType {
    public static let accepted = ["application/cloudevents+json", "application/json"]

    /// Why `value` is refused, or nil when it is fine.
    public static func problem(with value: String?) -> String? {
        // The usual values, exactly as upstream sends them, cost no parsing per message.
        guard let value, !accepted.contains(value), !value.trimmingCharacters(in: .whitespaces).isEmpty else {
            return nil
        }
        // split drops empty pieces: ";" gives no media type at all, which is refused too.
        let parts = value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let media = parts.first, accepted.contains(media) else {
            return "content type \"\(value)\" is not JSON; expected \(accepted.joined(separator: " or "))"
        }
        for parameter in parts.dropFirst() where parameter.hasPrefix("charset=") {
            let charset = parameter.dropFirst("charset=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            if charset != "utf-8" && charset != "utf8" {
                return "content type \"\(value)\": charset \(charset) is not UTF-8"
            }
        }
        return nil
    }
}
