import Foundation
import Synchronization

/// A flag that worker threads poll between deliveries; set once on shutdown.
public final class StopSignal: Sendable {
    private let stopped = Atomic<Bool>(false)

    public init() {}

    public var isStopped: Bool { stopped.load(ordering: .acquiring) }

    public func stop() { stopped.store(true, ordering: .releasing) }

    /// Sleeps up to `duration`, waking early when stopped. Returns false if stopped.
    @discardableResult
    public func sleep(_ duration: Duration) -> Bool {
        let deadline = ContinuousClock.now + duration
        while !isStopped, ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: min(0.05, Double((deadline - ContinuousClock.now).milliseconds) / 1000))
        }
        return !isStopped
    }
}
