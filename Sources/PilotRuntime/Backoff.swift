/// Capped exponential backoff with jitter, for reconnects: many workers that lost the
/// same broker must not all knock on it in the same instant. Each wait is drawn between
/// half the ceiling and the ceiling ("equal jitter"), so a wait never collapses to zero.
public struct Backoff: Sendable {
    public var initial: Duration
    public var cap: Duration
    private var failures = 0

    public init(initial: Duration = .milliseconds(200), cap: Duration = .seconds(15)) {
        self.initial = initial
        self.cap = cap
    }

    /// The ceiling of the next wait: initial × 2^failures, at most `cap`.
    public var ceiling: Duration {
        let factor = 1 << min(failures, 20)
        return min(initial * factor, cap)
    }

    /// A random wait in [ceiling/2, ceiling], and the next ceiling doubles.
    public mutating func next<G: RandomNumberGenerator>(using generator: inout G) -> Duration {
        let top = ceiling.milliseconds
        failures += 1
        return .milliseconds(Int64.random(in: (top / 2)...max(top, 1), using: &generator))
    }

    public mutating func next() -> Duration {
        var generator = SystemRandomNumberGenerator()
        return next(using: &generator)
    }

    public mutating func reset() { failures = 0 }
}
