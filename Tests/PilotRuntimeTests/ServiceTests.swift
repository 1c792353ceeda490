import Contracts
import Foundation
import Logging
import PilotAMQP
import PilotJSON
import PilotStore
import PilotTestKit
import ServiceLifecycle
import Synchronization
import Testing

@testable import PilotRuntime

/// The worker's threads as services: they end when told to, say so themselves, and the
/// timing code reads an injected clock. Nothing here sleeps to let time pass.
@Suite(.timeLimit(.minutes(10))) struct ServiceTests {
    let logger = Logger(label: "service-test")

    /// What happened, in order, as an async stream the test reads.
    final class Events: Sendable {
        let stream: AsyncStream<String>
        private let continuation: AsyncStream<String>.Continuation
        init() { (stream, continuation) = AsyncStream.makeStream(of: String.self) }
        func record(_ event: String) { continuation.yield(event) }
    }

    @Test func gracefulShutdownWakesASleepingLoopAndWaitsForItsEnd() async throws {
        let events = Events()
        let stop = StopSignal()
        let service = ThreadService(name: "test-loop", stop: stop, drainTimeout: .seconds(30), logger: logger,
                                    onStop: { events.record("told to stop") }) {
            events.record("started")
            // Asleep for an hour unless the stop signal wakes it.
            while stop.sleep(.seconds(3600)) {}
            events.record("loop ended")
        }
        let group = ServiceGroup(configuration: .init(services: [service], logger: logger))
        let running = Task { try await group.run() }
        var iterator = events.stream.makeAsyncIterator()
        #expect(await iterator.next() == "started")
        await group.triggerGracefulShutdown()
        #expect(await iterator.next() == "told to stop")
        #expect(await iterator.next() == "loop ended")
        try await running.value
    }

    @Test func aLoopThatDoesNotStopIsLeftAfterTheDrainTimeout() async throws {
        let release = DispatchSemaphore(value: 0)
        let stop = StopSignal()
        let service = ThreadService(name: "stuck", stop: stop, drainTimeout: .milliseconds(100), logger: logger) {
            release.wait()
        }
        let group = ServiceGroup(configuration: .init(services: [service], logger: logger))
        let running = Task { try await group.run() }
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(stop.isStopped)
        release.signal()
    }

    /// The worker's threads are stopped together: each drains while the others do, so a
    /// worker with many consumers stops within one timeout, not one per consumer. Here each
    /// thread, once told to stop, holds on until all three have been told.
    @Test func threadsOfOneServiceAreToldToStopTogether() async throws {
        let stop = StopSignal()
        let told = Mutex(0)
        let allTold = Mutex<[String]>([])
        func drain(_ name: String) -> (name: String, body: @Sendable () -> Void) {
            (name, {
                stop.wait()
                told.withLock { $0 += 1 }
                let deadline = ContinuousClock.now + .seconds(10)
                while told.withLock({ $0 }) < 3, ContinuousClock.now < deadline { _ = stop.sleep(.milliseconds(5)) }
                if told.withLock({ $0 }) == 3 { allTold.withLock { $0.append(name) } }
            })
        }
        let service = ThreadService(
            name: "threads", stop: stop, drainTimeout: .seconds(30), logger: logger, threads: ["a", "b", "c"].map(drain))
        let group = ServiceGroup(configuration: .init(services: [service], logger: logger))
        let running = Task { try await group.run() }
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(allTold.withLock { Set($0) } == ["a", "b", "c"])
    }

    /// A give-up that comes before anyone waits (a drain timeout of 0 and a shutdown at
    /// start) still ends the wait, with false, though the thread never ends.
    @Test func aGiveUpBeforeTheWaitStillEndsIt() async throws {
        let end = ThreadEnd(names: ["stuck"])
        end.giveUp(after: .zero)
        try await waitUntil("the give-up came", timeout: .seconds(10)) { end.gaveUp }
        let outcome = WaitOutcome()
        Task {
            let ended = await end.wait()
            outcome.value.withLock { $0 = ended }
        }
        try await waitUntil("the wait ended", timeout: .seconds(10)) { outcome.value.withLock { $0 } != nil }
        #expect(outcome.value.withLock { $0 } == false)
    }

    final class WaitOutcome: Sendable {
        let value = Mutex<Bool?>(nil)
    }

    /// WorkerService puts every thread in one such service, beside the start line.
    @Test func aWorkersThreadsAreOneService() throws {
        var configuration = WorkerConfiguration(amqpURL: try AMQPURL("amqp://guest:guest@127.0.0.1:1/%2f"))
        configuration.stages = Array(Stage.all.prefix(3))
        configuration.concurrency = 2
        let worker = WorkerService(configuration: configuration, logger: logger, contracts: nil) { EchoStage.definition(for: $0) }
        let threads = worker.services().compactMap { $0.service as? ThreadService }
        #expect(threads.count == 1)
        #expect(threads.first?.threads.count == 6)
    }

    @Test func theRelayTakesOnlyRowsOlderThanItsMinimumAgeByItsClock() throws {
        func row(_ id: String, _ createdAt: String) -> OutboxMessage {
            OutboxMessage(eventID: id, threadID: "t", exchange: "pilot.events", routingKey: "x", headers: JSONObject(), body: [], createdAt: createdAt)
        }
        let rows = [row("old", "2026-11-25T09:00:00Z"), row("edge", "2026-11-25T09:00:50Z"), row("young", "2026-11-25T09:00:55Z")]
        let now = EventTime.date("2026-11-25T09:01:00Z")!
        // Through the store's own relay path, as `relayOnce` calls it (nothing is marked sent:
        // the publish throws after recording what it was handed).
        func due(_ minimumAge: Duration) throws -> [String] {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("relay-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let store = try SQLitePilotStore(path: folder.appendingPathComponent("pilot.db").path)
            try store.write { try $0.enqueue(rows) }
            var handed: [String] = []
            struct Stop: Error {}
            _ = try? store.relayOutbox(limit: 10, createdAtOrBefore: OutboxRelay.cutoff(now: now, minimumAge: minimumAge), sentAt: { "" }) {
                handed = $0.map(\.eventID)
                throw Stop()
            }
            return handed
        }
        #expect(try due(.seconds(10)) == ["old", "edge"])
        #expect(try due(.zero) == ["old", "edge", "young"])
    }
}
