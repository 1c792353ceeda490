import Foundation
import Logging
import PilotAMQP
import PilotTestKit
import ServiceLifecycle
import Synchronization
import Testing

@testable import PilotRuntime

/// "worker started" is what supervisors (and the chaos suite's fleet) wait for before they
/// may stop a worker with SIGTERM. It must come from inside the running service group,
/// which traps SIGTERM before it starts any service: logged before, a SIGTERM right after
/// it killed the worker outright (exit 143) instead of draining it.
@Suite struct StartedLogTests {
    @Test func theStartLineComesFromInsideTheRunningGroup() async throws {
        let lines = RecordedLog()
        let logger = lines.logger()
        // Nothing listens on port 1: the consumers retry in the background, which is all
        // this test needs of them.
        var configuration = WorkerConfiguration(amqpURL: try AMQPURL("amqp://guest:guest@127.0.0.1:1/%2f"))
        configuration.stages = [Stage.all[0]]
        configuration.shutdownTimeout = .seconds(5)
        let worker = WorkerService(configuration: configuration, logger: logger, contracts: nil) { EchoStage.definition(for: $0) }
        let services = worker.services()
        #expect(!lines.contains("worker started"), "logged before the group traps SIGTERM")
        let group = ServiceGroup(configuration: .init(services: services, logger: logger))
        let run = Task { try await group.run() }
        try await waitUntil("the start line from the running group", timeout: .seconds(10)) { lines.contains("worker started") }
        await group.triggerGracefulShutdown()
        try await run.value
    }
}
