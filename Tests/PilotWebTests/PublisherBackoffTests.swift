import Foundation
import PilotTestKit
import Testing

@testable import PilotWeb

/// A publisher backing off after a refused connection shares its condition with every
/// request: the requests' broadcasts must not end the backoff early.
@Suite struct PublisherBackoffTests {
    final class Box: @unchecked Sendable {
        let condition = NSCondition()
        var done = false
        var elapsed: Duration?
    }

    @Test func broadcastsDoNotCutABackoffShort() async throws {
        let box = Box()
        let thread = Thread {
            let started = ContinuousClock.now
            box.condition.lock()
            PublisherPool.wait(on: box.condition, for: .milliseconds(600)) { box.done }
            box.elapsed = ContinuousClock.now - started
            box.condition.unlock()
        }
        thread.start()
        // Broadcasts until the wait is over, as requests arriving during it would.
        while (box.condition.withLock { box.elapsed }) == nil {
            box.condition.withLock { box.condition.broadcast() }
            try await Task.sleep(for: .milliseconds(5))
        }
        let elapsed = try #require(box.condition.withLock { box.elapsed })
        #expect(elapsed >= .milliseconds(600), "the wait ended after \(elapsed)")
    }

    @Test func stoppingEndsTheWaitAtOnce() async throws {
        let box = Box()
        let thread = Thread {
            box.condition.lock()
            PublisherPool.wait(on: box.condition, for: .seconds(3600)) { box.done }
            box.elapsed = .zero
            box.condition.unlock()
        }
        thread.start()
        box.condition.withLock {
            box.done = true
            box.condition.broadcast()
        }
        try await waitUntil("the wait ended", timeout: .seconds(10)) { box.condition.withLock { box.elapsed } != nil }
    }
}
