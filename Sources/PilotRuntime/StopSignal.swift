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

/// Live counters the worker shares with its health endpoint and tests.
public final class WorkerStatus: Sendable {
    private let consuming = Atomic<Int>(0)
    private let reconnects = Atomic<Int>(0)

    public init() {}

    /// Consumers that are connected and consuming right now.
    public var consumingCount: Int { consuming.load(ordering: .relaxed) }
    public var reconnectCount: Int { reconnects.load(ordering: .relaxed) }

    func consumerStarted() { consuming.add(1, ordering: .relaxed) }
    func consumerStopped() { consuming.subtract(1, ordering: .relaxed) }
    func reconnected() { reconnects.add(1, ordering: .relaxed) }
}
