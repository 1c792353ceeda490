/// How long a consumer waits after its session ended: the backoff grows with each session
/// that ended soon after it began and starts over after one that lasted. Reset on every
/// connect instead, a session that fails at once each time (a delivery the broker will not
/// let it dead-letter, say) reconnected every 100–200 ms for as long as the delivery stayed.
struct ReconnectPacing {
    var backoff: Backoff
    /// A session that lasted this long was sound, so what ended it is not a repeat; the
    /// sessions that fail at once end within milliseconds.
    var stableAfter: Duration = .seconds(2)
    private var connectedAt: ContinuousClock.Instant?

    init(backoff: Backoff) {
        self.backoff = backoff
    }

    mutating func connected(at instant: ContinuousClock.Instant = .now) {
        connectedAt = instant
    }

    /// The wait before the next try; `instant` is when the session (or the try) ended.
    mutating func lost(at instant: ContinuousClock.Instant = .now) -> Duration {
        if let connectedAt, instant - connectedAt >= stableAfter { backoff.reset() }
        connectedAt = nil
        return backoff.next()
    }
}
