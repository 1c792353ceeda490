import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// A blocking loop on a thread of its own, run as a ServiceLifecycle service: rabbitmq-c
/// blocks, and its connections are not thread safe, so each consumer, the outbox relay
/// and the sweeper keep a thread each.
///
/// Graceful shutdown (SIGTERM or SIGINT through the `ServiceGroup`) and cancellation both
/// raise the worker's `StopSignal`; the loop finishes what it holds and returns, and the
/// thread says so, which ends `run()`. `run()` waits at most `drainTimeout` for that, then
/// returns anyway: the unacked deliveries go back to the broker and to another worker.
public struct ThreadService: Service {
    public let name: String
    let stop: StopSignal
    let drainTimeout: Duration
    let logger: Logger
    /// Called when the service is told to stop, before the loop has ended.
    let onStop: @Sendable () -> Void
    let body: @Sendable () -> Void

    public init(
        name: String, stop: StopSignal, drainTimeout: Duration, logger: Logger, onStop: @escaping @Sendable () -> Void = {},
        body: @escaping @Sendable () -> Void
    ) {
        self.name = name
        self.stop = stop
        self.drainTimeout = drainTimeout
        self.logger = logger
        self.onStop = onStop
        self.body = body
    }

    /// A service for work done once, such as a sweep at start: `body` runs, then the
    /// thread waits to be told to stop. ServiceLifecycle stops a group's services one at a
    /// time and fails the group when any other ends meanwhile, so a pass still running at
    /// SIGTERM must not end on its own.
    public static func once(
        name: String, stop: StopSignal, drainTimeout: Duration, logger: Logger, onStop: @escaping @Sendable () -> Void = {},
        body: @escaping @Sendable () -> Void
    ) -> ThreadService {
        ThreadService(name: name, stop: stop, drainTimeout: drainTimeout, logger: logger, onStop: onStop) {
            body()
            stop.wait()
        }
    }

    public func run() async throws {
        let end = ThreadEnd()
        let body = self.body
        let name = self.name
        let thread = Thread {
            nameCurrentThread(name)
            body()
            end.signal()
        }
        thread.name = name
        thread.start()
        let stop = self.stop
        let onStop = self.onStop
        let timeout = drainTimeout
        let finished = await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                await end.wait()
            } onCancel: {
                onStop()
                stop.stop()
                end.giveUp(after: timeout)
            }
        } onGracefulShutdown: {
            onStop()
            stop.stop()
            end.giveUp(after: timeout)
        }
        if !finished {
            logger.error("shutdown timed out; unacked deliveries will be redelivered", metadata: [
                "thread": .string(name), "timeout": .string("\(timeout)"),
            ])
        }
    }
}

/// The end of a thread, awaited once: `signal()` from the thread, `giveUp(after:)` to stop
/// waiting for it.
final class ThreadEnd: Sendable {
    private struct State {
        var ended = false
        var resumed = false
        var waiter: CheckedContinuation<Bool, Never>?
    }
    private let state = Mutex(State())

    func signal() { resume(true, markEnded: true) }

    /// Resumes the waiter with false after `delay`, unless the thread ended first.
    func giveUp(after delay: Duration) {
        let seconds = Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { self.resume(false, markEnded: false) }
    }

    /// True when the thread ended, false when given up.
    func wait() async -> Bool {
        await withCheckedContinuation { continuation in
            let now: Bool? = state.withLock { state in
                if state.ended {
                    state.resumed = true
                    return true
                }
                state.waiter = continuation
                return nil
            }
            if let now { continuation.resume(returning: now) }
        }
    }

    private func resume(_ value: Bool, markEnded: Bool) {
        let waiter: CheckedContinuation<Bool, Never>? = state.withLock { state in
            if markEnded { state.ended = true }
            guard !state.resumed, let waiter = state.waiter else { return nil }
            state.resumed = true
            state.waiter = nil
            return waiter
        }
        waiter?.resume(returning: value)
    }
}
