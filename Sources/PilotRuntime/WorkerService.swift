import Contracts
import CoreMetrics
import Foundation
import Logging
import PilotStageAPI
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
    /// The handlers of each stage this worker consumes.
    public let definitions: @Sendable (Stage) -> StageDefinition
    public let contracts: Contracts?
    public let status: WorkerStatus
    public let metricsFactory: any MetricsFactory
    public let logger: Logger

    public init(
        configuration: WorkerConfiguration, status: WorkerStatus = WorkerStatus(),
        metricsFactory: any MetricsFactory = MetricsSystem.factory, logger: Logger,
        contracts: Contracts?, definitions: @escaping @Sendable (Stage) -> StageDefinition
    ) {
        self.configuration = configuration
        self.metricsFactory = metricsFactory
        self.definitions = definitions
        self.contracts = contracts
        self.status = status
        self.logger = logger
    }

    public func run() async throws {
        let stop = StopSignal()
        let remaining = Mutex(0)

        /// Runs `body` on a thread of its own, counted in `remaining` until it returns.
        func spawn(_ name: String, _ body: @escaping @Sendable () -> Void) {
            remaining.withLock { $0 += 1 }
            let thread = Thread {
                body()
                remaining.withLock { $0 -= 1 }
            }
            thread.name = name
            thread.start()
        }

        status.started(consumers: configuration.stages.count * configuration.concurrency)
        for stage in configuration.stages {
            let metrics = StageMetrics(stage: stage, factory: metricsFactory)
            var processor = DeliveryProcessor(
                stage: stage, definition: definitions(stage), policy: configuration.policy, contracts: contracts)
            processor.timerQueue = configuration.topology.timerQueue
            processor.clock = configuration.clock
            for index in 0..<configuration.concurrency {
                var logger = self.logger
                logger[metadataKey: "consumer"] = .stringConvertible(index)
                let consumer = StageConsumer(
                    processor: processor, configuration: configuration, stop: stop, status: status, metrics: metrics,
                    logger: logger)
                spawn("pilot-\(stage.name)-\(index)") { consumer.run() }
            }
        }
        if let effects = configuration.effects {
            let logger = self.logger
            spawn("pilot-workspace-sweep") {
                let removed = effects.workspace.sweepTemporaryFiles()
                if removed > 0 {
                    logger.notice("removed temporary files left by killed workers", metadata: ["files": .stringConvertible(removed)])
                }
            }
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
            // Cancellation (a ServiceGroup giving up, a test ending) stops the consumers
            // like SIGTERM does, and the wait below still lets them finish their batch:
            // returning while they run would leave consumers behind the service.
            await withTaskCancellationHandler {
                var stoppedAt: ContinuousClock.Instant?
                while remaining.withLock({ $0 }) > 0 {
                    if stop.isStopped {
                        let since = stoppedAt ?? ContinuousClock.now
                        stoppedAt = since
                        if ContinuousClock.now - since > timeout {
                            logger.error("shutdown timed out; unacked deliveries will be redelivered", metadata: [
                                "timeout": .string("\(timeout)"), "threads_left": .stringConvertible(remaining.withLock { $0 }),
                            ])
                            break
                        }
                    }
                    await Self.pause(milliseconds: 50)
                }
            } onCancel: { [status] in
                status.shuttingDown()
                stop.stop()
            }
        } onGracefulShutdown: { [status] in
            logger.info("shutdown requested: finishing in-flight deliveries")
            status.shuttingDown()
            stop.stop()
        }
        logger.info("worker stopped")
    }

    /// A pause that cancellation does not cut short (`Task.sleep` would return at once
    /// and turn the wait into a busy loop).
    private static func pause(milliseconds: Int) async {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(milliseconds)) { continuation.resume() }
        }
    }
}
