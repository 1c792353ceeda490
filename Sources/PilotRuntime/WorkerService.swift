import Contracts
import CoreMetrics
import Foundation
import Logging
import PilotStageAPI
import ServiceLifecycle
import Synchronization

/// A worker: `concurrency` consumers per configured stage, and with a store the outbox
/// relay, the purge and the sweep of leftover documents, each on a thread of its own
/// (rabbitmq-c blocks and its connections are not thread safe), all in one `ThreadService`.
///
/// `services()` hands them to the caller's `ServiceGroup` (pilot-worker puts its HTTP
/// endpoints beside them); `run()` runs them in a group of their own. On graceful
/// shutdown (SIGTERM or SIGINT) consumers stop taking deliveries, finish, publish and ack
/// the batch in hand, and close their connections, all at once; after `shutdownTimeout` the
/// service gives up and the unacked deliveries are redelivered to another worker.
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

    /// The worker's services: its threads (the consumers, and with a store the relay, the
    /// purge and the sweep of leftover documents) as one `ThreadService`, so that on
    /// graceful shutdown all are told to stop at once and drain side by side within one
    /// `shutdownTimeout`, then the "worker started" line.
    public func services() -> [ServiceGroupConfiguration.ServiceConfiguration] {
        let status = self.status
        let stop = StopSignal()
        var threads: [(name: String, body: @Sendable () -> Void)] = []
        status.started(consumers: configuration.stages.count * configuration.concurrency)
        for stage in configuration.stages {
            let metrics = StageMetrics(stage: stage, factory: metricsFactory)
            var processor = DeliveryProcessor(
                stage: stage, definition: definitions(stage), policy: configuration.policy, contracts: contracts)
            processor.dayLength = configuration.topology.dayLength
            processor.clock = configuration.clock
            for index in 0..<configuration.concurrency {
                var logger = self.logger
                logger[metadataKey: "consumer"] = .stringConvertible(index)
                let consumer = StageConsumer(
                    processor: processor, configuration: configuration, stop: stop, status: status, metrics: metrics,
                    logger: logger)
                threads.append(("pilot-\(stage.name)-\(index)", { consumer.run() }))
            }
        }
        if let effects = configuration.effects {
            let logger = self.logger
            let sweep = DocumentSweep(documents: effects.documents, clock: configuration.clock, stop: stop, logger: logger)
            threads.append(("pilot-document-sweep", { sweep.run() }))
            let relay = OutboxRelay(configuration: configuration, effects: effects, stop: stop, logger: logger)
            threads.append(("pilot-outbox-relay", { relay.run() }))
            let purge = StorePurge(effects: effects, clock: configuration.clock, stop: stop, logger: logger)
            threads.append(("pilot-store-purge", { purge.run() }))
        }
        // Readiness turns 503 as soon as the worker is told to stop.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: ThreadService(
            name: "pilot-worker-threads", stop: stop, drainTimeout: configuration.shutdownTimeout, logger: logger,
            onStop: { status.shuttingDown() }, threads: threads))]
        services.append(.init(service: StartedLog(logger: logger, metadata: [
            "stages": .string(configuration.stages.map(\.name).joined(separator: ",")),
            "concurrency": .stringConvertible(configuration.concurrency),
            "prefetch": .stringConvertible(configuration.prefetch),
            "broker": .string(configuration.broker.description),
        ])))
        return services
    }

    /// Runs the worker's services in a group of their own, until graceful shutdown or
    /// cancellation.
    public func run() async throws {
        let configuration = ServiceGroupConfiguration(services: services(), logger: logger)
        let group = ServiceGroup(configuration: configuration)
        // Passed on by hand: a group run as a service does not hear its parent's shutdown.
        try await withGracefulShutdownHandler {
            try await group.run()
        } onGracefulShutdown: {
            Task { await group.triggerGracefulShutdown() }
        }
        logger.info("worker stopped")
    }
}
