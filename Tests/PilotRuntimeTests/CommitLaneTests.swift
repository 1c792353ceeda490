import Foundation
import Synchronization
import Testing

@testable import PilotRuntime

@Suite struct CommitLaneTests {
    /// The work runs on the lane's thread while the caller goes on; its result waits
    /// until taken, and the lane takes the next piece of work after that.
    @Test func workRunsElsewhereAndItsResultWaitsToBeTaken() {
        let lane = CommitLane<Int>(name: "test lane")
        defer { lane.close() }
        let gate = DispatchSemaphore(value: 0)
        let caller = pthread_self()
        let ranOn = Mutex<pthread_t?>(nil)
        let name = Mutex<String?>(nil)
        lane.submit {
            ranOn.withLock { $0 = pthread_self() }
            let current = currentThreadName()
            name.withLock { $0 = current }
            gate.wait()
            return 1
        }
        #expect(!lane.isDone)
        gate.signal()
        #expect(lane.take() == 1)
        #expect(ranOn.withLock { $0 } != nil)
        #expect(ranOn.withLock { $0 } != caller)
        #expect(name.withLock { $0 } == "test lane", "the kernel's name of the lane's thread")
        #expect(!lane.isDone)

        lane.submit { 2 }
        while !lane.isDone { usleep(100) }
        #expect(lane.take() == 2)
    }

    /// What the caller is done with is freed on the lane's thread, and only once the
    /// work's result is out.
    @Test func whatItIsHandedToFreeIsFreedOnTheLaneAfterTheWork() {
        final class Tracked: Sendable {
            let freed: @Sendable (String?) -> Void
            init(freed: @escaping @Sendable (String?) -> Void) { self.freed = freed }
            deinit { freed(currentThreadName()) }
        }
        let lane = CommitLane<String??>(name: "freeing lane")
        defer { lane.close() }
        // nil until freed; then the name of the thread that freed it.
        let freedOn = Mutex<String??>(nil)
        // The work waits until this thread has let go of everything it handed over.
        let handedOver = DispatchSemaphore(value: 0)
        lane.submit({
            handedOver.wait()
            // The work's last look: still held.
            return freedOn.withLock { $0 }
        }, releasing: Tracked { name in freedOn.withLock { $0 = .some(name) } })
        handedOver.signal()
        #expect(lane.take() == nil, "freed before the work's result was out")
        let deadline = ContinuousClock.now + .seconds(10)
        while freedOn.withLock({ $0 }) == nil, ContinuousClock.now < deadline { usleep(200) }
        #expect(freedOn.withLock { $0 } == .some("freeing lane"))
    }

    /// Closing lets submitted work finish before the thread ends.
    @Test func closingFinishesTheWorkInHand() {
        let lane = CommitLane<String>(name: "closing lane")
        lane.submit {
            usleep(10_000)
            return "done"
        }
        lane.close()
        #expect(lane.take() == "done")
    }
}
