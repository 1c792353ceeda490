import Contracts
import Foundation

/// Where the runtime reads the time of day: the `time` of derived events, outbox row
/// ages, dead-letter timestamps. Injected so tests can set it.
public struct WallClock: Sendable {
    public var now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date) {
        self.now = now
    }

    public static let system = WallClock { Date() }

    /// `now()` as RFC 3339.
    public func timestamp() -> String { EventTime.string(now()) }
}
