import Foundation
import Synchronization

/// Set once on shutdown; worker threads check it between deliveries, and those asleep
/// (a reconnect backoff, the relay's interval) wake the moment it is set.
public final class StopSignal: @unchecked Sendable {
    // @unchecked: `condition` is NSCondition, itself thread safe.
    private let stopped = Atomic<Bool>(false)
    private let condition = NSCondition()

    public init() {}

    public var isStopped: Bool { stopped.load(ordering: .acquiring) }

    public func stop() {
        condition.lock()
        stopped.store(true, ordering: .releasing)
        condition.broadcast()
        condition.unlock()
    }

    /// Blocks until stopped.
    public func wait() {
        condition.lock()
        defer { condition.unlock() }
        while !isStopped { condition.wait() }
    }

    /// Sleeps up to `duration`, waking early when stopped. Returns false if stopped.
    @discardableResult
    public func sleep(_ duration: Duration) -> Bool {
        let deadline = Date().addingTimeInterval(Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
        condition.lock()
        defer { condition.unlock() }
        while !isStopped, condition.wait(until: deadline) {}
        return !isStopped
    }
}
