import Foundation

/// How long the store keeps what it no longer needs, and how often the worker purges it.
///
/// Sent outbox rows only serve an operator checking what went out: a week is plenty.
/// Inbox rows are what make a redelivery harmless and what `pilotctl pilot trace` reads:
/// an event can come back as long as a pilot lives (60 days at most, plus the signature
/// expiry before it starts), plus the retry delays and a dead letter an operator replays
/// weeks later. 180 days covers that with a quarter to spare for reviews of finished pilots.
public struct StoreRetention: Sendable, Equatable {
    public var outbox: Duration = .seconds(7 * 86_400)
    public var inbox: Duration = .seconds(180 * 86_400)
    public var interval: Duration = .seconds(3600)

    public init() {}

    /// Reads `PILOT_OUTBOX_RETENTION` and `PILOT_INBOX_RETENTION` (`7d`, `36h`, `90m`, `30s`),
    /// strictly: any other value throws a `ConfigurationError` naming the variable. The inbox
    /// must outlive the longest pilot: `minimumInbox`. An empty value counts as unset, as
    /// every other variable's does (a manifest may leave one blank).
    public init(environment: [String: String], minimumInbox: Duration = .seconds(75 * 86_400)) throws {
        self.init()
        if let text = environment["PILOT_OUTBOX_RETENTION"], !text.isEmpty {
            outbox = try Self.duration(text, variable: "PILOT_OUTBOX_RETENTION")
        }
        if let text = environment["PILOT_INBOX_RETENTION"], !text.isEmpty {
            inbox = try Self.duration(text, variable: "PILOT_INBOX_RETENTION")
            guard inbox >= minimumInbox else {
                throw ConfigurationError(
                    "PILOT_INBOX_RETENTION=\(text) is shorter than the longest pilot and its redeliveries "
                        + "(\(minimumInbox.components.seconds / 86_400) days): an event delivered again after its inbox row "
                        + "is gone would be handled twice")
            }
        }
    }

    /// A positive whole number with a unit: `d`, `h`, `m` or `s`.
    static func duration(_ text: String, variable: String) throws -> Duration {
        let units: [Character: Int64] = ["d": 86_400, "h": 3600, "m": 60, "s": 1]
        guard let unit = text.last, let factor = units[unit], let value = Int64(text.dropLast()), value > 0,
            value <= Int64.max / factor / 1000
        else {
            throw ConfigurationError("\(variable) must be a positive whole number of days, hours, minutes or seconds (e.g. 7d, 36h), not \"\(text)\"")
        }
        return .seconds(value * factor)
    }
}
