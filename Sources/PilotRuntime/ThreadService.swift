import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Blocking loops on threads of their own, run as one ServiceLifecycle service: rabbitmq-c
/// blocks, and its connections are not thread safe, so each consumer, the outbox relay
/// and the sweeper keep a thread each.
///
/// Graceful shutdown (SIGTERM or SIGINT through the `ServiceGroup`) and cancellation both
/// raise the one `StopSignal` the loops share, so they all finish what they hold at once;
/// each returns, its thread says so, and when all have, `run()` ends. `run()` waits at most
/// `drainTimeout` in all, then returns anyway and names the threads still running: their
/// unacked deliveries go back to the broker and to another worker. (As services of their
/// own, the group would stop them one at a time, each with the whole timeout: a worker
/// with thirty consumers could take thirty times as long as a supervisor waits.)
public struct ThreadService: Service {
    public let name: String
    let stop: StopSignal
    let drainTimeout: Duration
    let logger: Logger
    /// Called when the service is told to stop, before the loops have ended.
    let onStop: @Sendable () -> Void
    /// Each thread's name and loop.
    let threads: [(name: String, body: @Sendable () -> Void)]

    /// Threads that share `stop`: all are told to stop together, and the service ends when
    /// all have. A loop that returns before that just ends its thread.
    public init(
        name: String, stop: StopSignal, drainTimeout: Duration, logger: Logger, onStop: @escaping @Sendable () -> Void = {},
        threads: [(name: String, body: @Sendable () -> Void)]
    ) {
        self.name = name
        self.stop = stop
        self.drainTimeout = drainTimeout
        self.logger = logger
        self.onStop = onStop
        self.threads = threads
    }

    /// One thread, named like the service.
    public init(
        name: String, stop: StopSignal, drainTimeout: Duration, logger: Logger, onStop: @escaping @Sendable () -> Void = {},
        body: @escaping @Sendable () -> Void
    ) {
        self.init(name: name, stop: stop, drainTimeout: drainTimeout, logger: logger, onStop: onStop, threads: [(name, body)])
    }

    public func run() async throws {
        let end = ThreadEnd(names: threads.map(\.name))
        for (name, body) in threads {
            let thread = Thread {
                nameCurrentThread(name)
                body()
                end.signal(name)
            }
            thread.name = name
            thread.start()
        }
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
                "threads": .string(end.running.joined(separator: ",")), "timeout": .string("\(timeout)"),
            ])
        }
    }
}

/// The end of a set of threads, awaited once: `signal(_:)` from each thread as it ends,
/// `giveUp(after:)` to stop waiting for the rest.
final class ThreadEnd: Sendable {
    private struct State {
        var running: [String]
        var resumed = false
        /// Set when the give-up came before anyone waited (a drain timeout of 0 and a
        /// shutdown at start): the wait then returns at once.
        var gaveUp = false
        var waiter: CheckedContinuation<Bool, Never>?
        var ended: Bool { running.isEmpty }
    }
    private let state: Mutex<State>

    init(names: [String]) { state = Mutex(State(running: names)) }

    /// The threads that have not ended.
    var running: [String] { state.withLock { $0.running } }

    /// Whether the give-up has come.
    var gaveUp: Bool { state.withLock { $0.gaveUp } }

    func signal(_ name: String) { resume(ended: name) }

    /// Resumes the waiter with false after `delay`, unless the threads ended first.
    func giveUp(after delay: Duration) {
        let seconds = Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { self.resume(ended: nil) }
    }

    /// True when the thread ended, false when given up.
    func wait() async -> Bool {
        await withCheckedContinuation { continuation in
            let now: Bool? = state.withLock { state in
                if state.ended || state.gaveUp {
                    state.resumed = true
                    return state.ended
                }
                state.waiter = continuation
                return nil
            }
            if let now { continuation.resume(returning: now) }
        }
    }

    /// A thread's end (`name`), or the give-up (nil).
    private func resume(ended name: String?) {
        let waiter: CheckedContinuation<Bool, Never>? = state.withLock { state in
            if let name {
                if let index = state.running.firstIndex(of: name) { state.running.remove(at: index) }
                // A thread ending while others run wakes nobody.
                guard state.ended else { return nil }
            } else {
                state.gaveUp = true
            }
            guard !state.resumed, let waiter = state.waiter else { return nil }
            state.resumed = true
            state.waiter = nil
            return waiter
        }
        waiter?.resume(returning: name != nil)
    }
}
