import Contracts
import Logging
import PilotAMQP
import PilotRuntime
import PilotStageAPI
import PilotStore
import ServiceLifecycle

/// A worker in this process, as `pilot-worker` runs one, consuming `stage` with a store and
/// a workspace until the task running it is cancelled.
struct BenchWorker {
    var url: AMQPURL
    var stage: Stage
    var prefetch: UInt16?
    var concurrency: Int?
    var contracts: Contracts
    var definition: @Sendable (Stage) -> StageDefinition

    func run(store: SQLitePilotStore, workspace: Workspace) async throws {
        var configuration = WorkerConfiguration(amqpURL: url)
        configuration.stages = [stage]
        if let prefetch { configuration.prefetch = prefetch }
        if let concurrency { configuration.concurrency = concurrency }
        configuration.effects = Effects(store: store, documents: workspace)
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let worker = WorkerService(configuration: configuration, logger: logger, contracts: contracts, definitions: definition)
        let group = ServiceGroup(configuration: .init(services: [worker], logger: logger))
        try await withTaskCancellationHandler {
            try await group.run()
        } onCancel: {
            Task { await group.triggerGracefulShutdown() }
        }
    }
}
