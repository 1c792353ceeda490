import Foundation
import Logging
import PilotAMQP
import PilotRuntime
import ServiceLifecycle
import Synchronization

/// A few publishing connections, each owned by a thread of its own, behind an async
/// `publish` that returns once the broker has confirmed the message.
///
/// rabbitmq-c is blocking and its connections are not thread safe, so a request task
/// never touches one: it queues a job and a publisher thread takes every job that is
/// waiting, publishes them, waits once for their confirms and resumes each request.
/// A thread whose connection fails gives its batch a failure (the client retries,
/// and a repeated id is harmless downstream) and reconnects with backoff.
public final class PublisherPool: Service, @unchecked Sendable {
    private struct Job {
        var publication: Publication
        var continuation: PublishReply
        var deadline: ContinuousClock.Instant
    }

    private let broker: AMQPNodes
    private let options: AMQPConnectionOptions
    private let size: Int
    private let confirmTimeout: Duration
    private let logger: Logger
    /// Largest batch a thread publishes before it waits for confirms.
    private let maxBatch = 256

    // Everything below is guarded by `condition`.
    private let condition = NSCondition()
    private var queue: [Job] = []
    private var connected = 0
    private var lastFailure = "not connected yet"
    private var stopping = false
    private var running = 0

    public init(broker: AMQPNodes, options: AMQPConnectionOptions, size: Int, confirmTimeout: Duration, logger: Logger) {
        self.broker = broker
        self.options = options
        self.size = size
        self.confirmTimeout = confirmTimeout
        self.logger = logger
    }

    /// Starts the threads, runs until graceful shutdown, then stops them.
    public func run() async throws {
        start()
        try? await gracefulShutdown()
        await stop()
    }

    /// Starts the publisher threads; they connect in the background.
    public func start() {
        condition.lock()
        running = size
        condition.unlock()
        for index in 0..<size {
            let thread = Thread { [self] in loop(index) }
            thread.name = "pilot-web-publisher-\(index)"
            thread.start()
        }
    }

    /// Fails what is still queued, lets each thread finish its batch, and waits for them,
    /// as long as a batch may take: a thread held inside a publish is left behind.
    public func stop() async {
        for job in beginStopping() { job.continuation.resume(throwing: PublishFailure("pilot-web is shutting down")) }
        let deadline = ContinuousClock.now + confirmTimeout + .seconds(2)
        while threadsRunning > 0 {
            guard ContinuousClock.now < deadline else {
                logger.error("publisher threads still busy at shutdown; leaving them", metadata: ["threads": .stringConvertible(threadsRunning)])
                return
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    private func beginStopping() -> [Job] {
        condition.lock()
        defer { condition.unlock() }
        stopping = true
        let abandoned = queue
        queue.removeAll()
        condition.broadcast()
        return abandoned
    }

    private var threadsRunning: Int {
        condition.lock()
        defer { condition.unlock() }
        return running
    }

    /// Whether a connection to the broker is up, and if not, why.
    public var readiness: (ready: Bool, reason: String) {
        condition.lock()
        defer { condition.unlock() }
        if stopping { return (false, "shutting down") }
        return connected > 0 ? (true, "\(connected) of \(size) publisher connections up") : (false, lastFailure)
    }

    /// Publishes one message and returns after the broker's confirm.
    /// - Throws: `PublishFailure` when no connection is up, the broker refused the
    ///   message, or no confirm came within the timeout: the message may or may not
    ///   be in the broker, so the caller must say "try again", never "done".
    public func publish(_ publication: Publication) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let reply = PublishReply(continuation)
            condition.lock()
            if stopping || connected == 0 {
                let why = stopping ? "pilot-web is shutting down" : "no connection to the broker: \(lastFailure)"
                condition.unlock()
                reply.resume(throwing: PublishFailure(why))
                return
            }
            queue.append(Job(publication: publication, continuation: reply, deadline: .now + confirmTimeout))
            condition.broadcast()
            condition.unlock()
            // The backstop: a publisher thread can be held inside a publish for as long as the
            // broker stops reading (a memory or disk alarm), and its requests must still hear.
            reply.failAfter(confirmTimeout + .seconds(1), PublishFailure("no confirm within \(confirmTimeout)"))
        }
    }

    private func loop(_ index: Int) {
        var backoff = Backoff()
        var connection: AMQPConnection?
        // Publishers start on different nodes of a cluster, and a lost node sends a
        // publisher on to the next one.
        var node = index % broker.urls.count
        var logger = self.logger
        logger[metadataKey: "publisher"] = .stringConvertible(index)
        defer {
            connection?.close()
            condition.lock()
            if connection != nil { connected -= 1 }
            running -= 1
            condition.unlock()
        }
        while true {
            guard let open = connection else {
                do {
                    let (fresh, at) = try broker.connect(options: options, from: node)
                    node = at
                    try fresh.enableConfirms()
                    // Only the exchange: queues and bindings belong to the workers' topology.
                    try fresh.declareExchange(Topology.exchange, type: "topic")
                    connection = fresh
                    backoff.reset()
                    condition.lock()
                    connected += 1
                    condition.unlock()
                    logger.info("publisher connected", metadata: ["broker": .stringConvertible(broker.urls[at])])
                } catch {
                    lost(String(describing: error), logger: logger)
                    if !pause(backoff.next()) { return }
                }
                continue
            }
            let jobs = take()
            if stoppingNow && jobs.isEmpty { return }
            do {
                guard !jobs.isEmpty else {
                    // Idle: let rabbitmq-c answer heartbeats and notice a dead broker.
                    try open.serviceIdle()
                    continue
                }
                for job in jobs { try open.publish(job.publication) }
                try open.waitForConfirms(timeout: Double(confirmTimeout.components.seconds) + 0.5)
                for job in jobs { job.continuation.resume() }
            } catch {
                if error.kind == .returned {
                    // No queue took some of them (the workers' topology is missing). The
                    // confirms are all in and the connection is sound: keep it. Only the
                    // messages that came back failed; the rest of the batch reached a queue.
                    let failed = Self.returnedJobs(jobs.map(\.publication), returned: error.returnedMessageIDs)
                    for (index, job) in jobs.enumerated() {
                        if failed.contains(index) {
                            job.continuation.resume(throwing: PublishFailure(unroutable: job.publication))
                        } else {
                            job.continuation.resume()
                        }
                    }
                    continue
                }
                for job in jobs { job.continuation.resume(throwing: PublishFailure("the broker did not confirm: \(error)")) }
                open.close()
                connection = nil
                condition.lock()
                connected -= 1
                condition.unlock()
                node = (node + 1) % broker.urls.count
                lost(String(describing: error), logger: logger)
                if !pause(backoff.next()) { return }
            }
        }
    }

    /// The positions in `batch` of the messages that came back, named by message id. When
    /// a return has no id, or names none of the batch, which one it was is unknown, and every
    /// message fails: a client retry is harmless, a 202 for a lost event is not.
    static func returnedJobs(_ batch: [Publication], returned: [String?]) -> Set<Int> {
        let everything = Set(batch.indices)
        var failed: Set<Int> = []
        for id in returned {
            guard let id else { return everything }
            let matching = batch.indices.filter { batch[$0].properties.messageID == id }
            if matching.isEmpty { return everything }
            failed.formUnion(matching)
        }
        return failed
    }

    private var stoppingNow: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopping
    }

    /// Waits for jobs (at most a few seconds, to service heartbeats) and takes a batch,
    /// failing those whose requests have waited past their deadline.
    private func take() -> [Job] {
        condition.lock()
        defer { condition.unlock() }
        if queue.isEmpty && !stopping { _ = condition.wait(until: Date(timeIntervalSinceNow: 2)) }
        let now = ContinuousClock.now
        var batch: [Job] = []
        while batch.count < maxBatch, !queue.isEmpty {
            let job = queue.removeFirst()
            if job.deadline < now {
                job.continuation.resume(throwing: PublishFailure("no publisher was free within the confirm timeout"))
            } else {
                batch.append(job)
            }
        }
        return batch
    }

    /// Records why a connection is down; when it was the last one, fails what is queued
    /// rather than let requests wait for a broker that is gone.
    private func lost(_ why: String, logger: Logger) {
        condition.lock()
        let changed = lastFailure != why
        lastFailure = why
        var abandoned: [Job] = []
        if connected == 0 {
            abandoned = queue
            queue.removeAll()
        }
        condition.unlock()
        for job in abandoned { job.continuation.resume(throwing: PublishFailure("no connection to the broker: \(why)")) }
        if changed { logger.warning("publisher connection down; reconnecting", metadata: ["error": .string(why)]) }
    }

    /// Sleeps for `duration` unless stopping; returns false when stopping.
    private func pause(_ duration: Duration) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        Self.wait(on: condition, for: duration) { stopping }
        return !stopping
    }

    /// Waits `duration` on `condition`, which the caller holds, ending early only once `done`.
    /// Every request broadcasts on it for the publishers, and a backoff that each one cut
    /// short would hammer a broker refusing connections at the rate requests come in.
    static func wait(on condition: NSCondition, for duration: Duration, until done: () -> Bool) {
        let deadline = Date(timeIntervalSinceNow: Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
        while !done(), condition.wait(until: deadline) {}
    }
}

/// A request's answer, given once: by its publisher thread, or by its deadline, whichever
/// comes first; the other is then a no-op.
final class PublishReply: Sendable {
    private let continuation: Mutex<CheckedContinuation<Void, any Error>?>

    init(_ continuation: CheckedContinuation<Void, any Error>) {
        self.continuation = Mutex(continuation)
    }

    func resume() { take()?.resume() }

    func resume(throwing error: any Error) { take()?.resume(throwing: error) }

    /// Fails the request after `delay` unless it has been answered.
    func failAfter(_ delay: Duration, _ error: PublishFailure) {
        let seconds = Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { self.resume(throwing: error) }
    }

    private func take() -> CheckedContinuation<Void, any Error>? {
        continuation.withLock { current in
            defer { current = nil }
            return current
        }
    }
}

/// The message was not confirmed; the request must be retried by its sender.
public struct PublishFailure: Error, Sendable, CustomStringConvertible {
    public var description: String
    /// No queue took a message of its batch (`basic.return`): a retry helps only once the
    /// workers have declared their queues.
    public var unroutable = false

    public init(_ description: String) { self.description = description }

    init(unroutable publication: Publication) {
        description = "no queue took a message of its batch on \(publication.exchange) (basic.return): are the workers' queues declared?"
        unroutable = true
    }
}
