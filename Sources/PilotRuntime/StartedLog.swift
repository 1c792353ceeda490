import Logging
import ServiceLifecycle

/// Logs "worker started" from inside the running service group, then waits for the
/// graceful shutdown. The group traps SIGTERM before it starts any service, so the line
/// means a SIGTERM from now on drains the worker: logged before the group ran, a SIGTERM
/// right after it killed the process outright (exit 143), as a test's supervisor saw.
struct StartedLog: Service {
    let logger: Logger
    let metadata: Logger.Metadata

    func run() async throws {
        logger.info("worker started", metadata: metadata)
        // Returning early would end the whole group.
        try? await gracefulShutdown()
    }
}
