import Contracts
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Runs `concurrency` consumers per configured stage, each on its own thread
/// (rabbitmq-c blocks and its connections are not thread safe).
///
/// On graceful shutdown (SIGTERM or SIGINT through `ServiceGroup`) consumers stop
/// taking deliveries, finish, publish and ack the batch in hand, and close their
/// connections. If that takes longer than `shutdownTimeout`, `run()` returns anyway
/// and the unacked deliveries are redelivered to another worker.
public struct WorkerService: Service {
    public let configuration: WorkerConfiguration
    public let handlers: @Sendable (Stage) -> any EventHandler
    public let contracts: Contracts?
    public let status: WorkerStatus
    public let logger: Logger

    public init(
        configuration: WorkerConfiguration, status: WorkerStatus = WorkerStatus(), logger: Logger,
        contracts: Contracts?, handlers: @escaping @Sendable (Stage) -> any EventHandler
    ) {
        self.configuration = configuration
        self.handlers = handlers
        self.contracts = contracts
        self.status = status
        self.logger = logger
    }

    public func run() async throws {
        let stop = StopSignal()
        let remaining = Mutex(0)
        let (finished, finishedContinuation) = AsyncStream<Void>.makeStream()

        /// Runs `body` on a thread of its own; the last thread to finish ends `finished`.
        func spawn(_ name: String, _ body: @escaping @Sendable () -> Void) {
            remaining.withLock { $0 += 1 }
            let thread = Thread {
                body()
                let left = remaining.withLock { count in
                    count -= 1
                    return count
                }
                if left == 0 { finishedContinuation.finish() }
            }
            thread.name = name
            thread.start()
        }

        for stage in configuration.stages {
            var processor = DeliveryProcessor(
                stage: stage, handler: handlers(stage), policy: configuration.policy, contracts: contracts)
            processor.timerQueue = configuration.topology.timerQueue
            for index in 0..<configuration.concurrency {
                var logger = self.logger
                logger[metadataKey: "consumer"] = .stringConvertible(index)
                let consumer = StageConsumer(
                    processor: processor, configuration: configuration, stop: stop, status: status, logger: logger)
                spawn("pilot-\(stage.name)-\(index)") { consumer.run() }
            }
        }
        if let effects = configuration.effects {
            let relay = OutboxRelay(configuration: configuration, effects: effects, stop: stop, logger: logger)
            spawn("pilot-outbox-relay") { relay.run() }
        }
        logger.info("worker started", metadata: [
            "stages": .string(configuration.stages.map(\.name).joined(separator: ",")),
            "concurrency": .stringConvertible(configuration.concurrency),
            "prefetch": .stringConvertible(configuration.prefetch),
            "broker": .string(configuration.amqpURL.description),
        ])

        let timeout = configuration.shutdownTimeout
        let logger = self.logger
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Bool.self) { group in
                group.addTask {
                    for await _ in finished {}
                    return true
                }
                group.addTask {
                    // Starts counting only once shutdown was requested.
                    while !stop.isStopped, !Task.isCancelled { try? await Task.sleep(for: .milliseconds(50)) }
                    try? await Task.sleep(for: timeout)
                    return false
                }
                let clean = await group.next() ?? false
                group.cancelAll()
                if !clean {
                    logger.error("shutdown timed out; unacked deliveries will be redelivered", metadata: [
                        "timeout": .string("\(timeout)")
                    ])
                }
            }
        } onGracefulShutdown: {
            logger.info("shutdown requested: finishing in-flight deliveries")
            stop.stop()
        }
        logger.info("worker stopped")
    }
}
