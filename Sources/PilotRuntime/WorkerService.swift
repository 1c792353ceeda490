import Contracts
import CoreMetrics
import Foundation
import Logging
import PilotStageAPI
import ServiceLifecycle
import Synchronization

/// A worker: `concurrency` consumers per configured stage, and with a store the outbox
/// relay and the sweep of temporary files, each a `ThreadService` (a service on a thread
/// of its own, since rabbitmq-c blocks and its connections are not thread safe).
///
/// `services()` hands them to the caller's `ServiceGroup` (pilot-worker puts its HTTP
/// endpoints beside them); `run()` runs them in a group of their own. On graceful
/// shutdown (SIGTERM or SIGINT) consumers stop taking deliveries, finish, publish and ack
/// the batch in hand, and close their connections; after `shutdownTimeout` the group gives
/// up and the unacked deliveries are redelivered to another worker.
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

    /// The worker's services, consumers first. On graceful shutdown the group stops them
    /// one at a time from the last: the relay, then each consumer finishing the batch in
    /// hand. The sweep makes one pass at start, then waits for its turn to stop.
    public func services() -> [ServiceGroupConfiguration.ServiceConfiguration] {
        let status = self.status
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        /// A service running `make(stop)`'s loop on a thread, with a stop signal of its own:
        /// the group stops its services one at a time, in reverse order, and one that ended
        /// before its turn would be an error.
        func thread(
            _ name: String, once: Bool = false, _ make: (StopSignal) -> @Sendable () -> Void
        ) -> ServiceGroupConfiguration.ServiceConfiguration {
            let stop = StopSignal()
            // Readiness turns 503 as soon as any part of the worker is told to stop.
            let onStop: @Sendable () -> Void = { status.shuttingDown() }
            let service = once
                ? ThreadService.once(
                    name: name, stop: stop, drainTimeout: configuration.shutdownTimeout, logger: logger, onStop: onStop,
                    body: make(stop))
                : ThreadService(
                    name: name, stop: stop, drainTimeout: configuration.shutdownTimeout, logger: logger, onStop: onStop,
                    body: make(stop))
            return .init(service: service)
        }
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
                services.append(thread("pilot-\(stage.name)-\(index)") { stop in
                    let consumer = StageConsumer(
                        processor: processor, configuration: configuration, stop: stop, status: status, metrics: metrics,
                        logger: logger)
                    return { consumer.run() }
                })
            }
        }
        if let effects = configuration.effects {
            let logger = self.logger
            // Only a workspace has temporary files; an object store has none to sweep.
            if let workspace = effects.documents as? Workspace {
                services.append(thread("pilot-workspace-sweep", once: true) { _ in
                    {
                        let removed = workspace.sweepTemporaryFiles()
                        if removed > 0 {
                            logger.notice("removed temporary files left by killed workers", metadata: ["files": .stringConvertible(removed)])
                        }
                    }
                })
            }
            services.append(thread("pilot-outbox-relay") { stop in
                let relay = OutboxRelay(configuration: configuration, effects: effects, stop: stop, logger: logger)
                return { relay.run() }
            })
            services.append(thread("pilot-store-purge") { stop in
                let purge = StorePurge(effects: effects, clock: configuration.clock, stop: stop, logger: logger)
                return { purge.run() }
            })
        }
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
