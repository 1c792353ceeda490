import ArgumentParser
import Contracts
import Foundation
import Logging
import PilotAMQP
import PilotRuntime
import PilotStages
import PilotStore
import PilotTelemetry
import ServiceLifecycle

@main
struct PilotWorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pilot-worker",
        abstract: "Consumes the sales pilot stage queues on RabbitMQ and runs each stage.",
        discussion: """
            Every option can also be set with the environment variable shown in brackets; a flag wins \
            over the variable. Start as many workers as you like on one host: they compete for the same \
            queues and share the SQLite store (workers on several hosts need a shared store; see \
            deploy/README.md). SIGTERM or SIGINT stops a worker gracefully: it finishes and \
            acks what it holds, then exits 0.

            Example: pilot-worker --amqp-url amqp://guest:guest@127.0.0.1:5672/%2f --stages agreement,kickoff
            """)

    @Option(help: "Broker URL; amqps:// connects with TLS. [PILOT_AMQP_URL]")
    var amqpURL = env("PILOT_AMQP_URL") ?? "amqp://guest:guest@127.0.0.1:5672/%2f"

    @Option(help: "Workspace folder shared with the sales system; documents go to threads/sales/<thread-id>/. [PILOT_WORKSPACE]")
    var workspace = env("PILOT_WORKSPACE") ?? FileManager.default.currentDirectoryPath

    @Option(help: "SQLite database of pilot state, inbox and outbox (default <workspace>/.pilot/pilot.db); 'none' runs the echo handler without a store, for benchmarks. [PILOT_DATABASE]")
    var database = env("PILOT_DATABASE") ?? ""

    @Option(help: "Length of a pilot day in seconds; small values rehearse a 30-day pilot in minutes. [PILOT_DAY_SECONDS]")
    var daySeconds = Double(env("PILOT_DAY_SECONDS") ?? "") ?? 86_400

    @Option(help: "Fault injection for crash tests only: crash-after-commit, pause-in-handler. [PILOT_FAILPOINT]")
    var failpoint = env("PILOT_FAILPOINT") ?? ""

    @Option(help: "CA bundle that signs the broker's TLS certificate (amqps:// only). [PILOT_CA_FILE]")
    var caFile = env("PILOT_CA_FILE") ?? ""

    @Option(help: "Stages to consume, comma-separated: agreement, kickoff, monitoring, results, next-action, or all. [PILOT_STAGES]")
    var stages = env("PILOT_STAGES") ?? "all"

    @Option(help: "Consumers per stage, each with its own connections and thread. [PILOT_CONCURRENCY]")
    var concurrency = Int(env("PILOT_CONCURRENCY") ?? "") ?? 1

    @Option(help: "Unacked deliveries per consumer (basic.qos). [PILOT_PREFETCH]")
    var prefetch = Int(env("PILOT_PREFETCH") ?? "") ?? 200

    @Option(help: "Folder of the event JSON Schemas; every event in and out is validated against them. [PILOT_SCHEMAS]")
    var schemas = env("PILOT_SCHEMAS") ?? ""

    @Option(help: "Handlers: 'stages' runs the pilot; 'echo' answers each event with pilot.echoed (diagnostics). [PILOT_HANDLER]")
    var handler = env("PILOT_HANDLER") ?? "stages"

    @Option(help: "Tries of a failing handler before the event is dead-lettered. [PILOT_MAX_ATTEMPTS]")
    var maxAttempts = Int(env("PILOT_MAX_ATTEMPTS") ?? "") ?? 5

    @Option(help: "Retry delay tiers, shortest first, e.g. 1s,10s,60s,5m. [PILOT_RETRY_DELAYS]")
    var retryDelays = env("PILOT_RETRY_DELAYS") ?? "1s,10s,60s,5m"

    @Option(help: "Largest message body accepted, in bytes; larger ones are dead-lettered. [PILOT_MAX_BODY_BYTES]")
    var maxBodyBytes = Int(env("PILOT_MAX_BODY_BYTES") ?? "") ?? 1 << 20

    @Option(help: "Seconds to finish in-flight work after SIGTERM before giving up. [PILOT_SHUTDOWN_TIMEOUT]")
    var shutdownTimeout = Double(env("PILOT_SHUTDOWN_TIMEOUT") ?? "") ?? 30

    @Option(help: "AMQP heartbeat interval in seconds. [PILOT_HEARTBEAT]")
    var heartbeat = Int(env("PILOT_HEARTBEAT") ?? "") ?? 30

    @Option(help: "Port of the HTTP endpoints /metrics (Prometheus), /healthz and /readyz; 0 serves none. [PILOT_METRICS_PORT]")
    var metricsPort = Int(env("PILOT_METRICS_PORT") ?? "") ?? 0

    @Option(help: "IPv4 address the HTTP endpoints listen on. [PILOT_METRICS_HOST]")
    var metricsHost = env("PILOT_METRICS_HOST") ?? "0.0.0.0"

    @Option(help: "Log format: text or json (one JSON object per line). [PILOT_LOG_FORMAT]")
    var logFormat = env("PILOT_LOG_FORMAT") ?? "text"

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical. [PILOT_LOG_LEVEL]")
    var logLevel = env("PILOT_LOG_LEVEL") ?? "info"

    func validate() throws {
        guard (1...64).contains(concurrency) else { throw ValidationError("--concurrency must be 1…64") }
        guard (1...65535).contains(prefetch) else { throw ValidationError("--prefetch must be 1…65535") }
        guard (0...65535).contains(metricsPort) else { throw ValidationError("--metrics-port must be 0…65535") }
        guard maxAttempts >= 1 else { throw ValidationError("--max-attempts must be at least 1") }
        guard Duration.list(parsing: retryDelays) != nil else {
            throw ValidationError("--retry-delays must look like 1s,10s,60s,5m")
        }
        guard ["text", "json"].contains(logFormat) else { throw ValidationError("--log-format must be text or json") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
        guard daySeconds >= 0.1 else { throw ValidationError("--day-seconds must be at least 0.1") }
        guard failpoint.isEmpty || Failpoint(rawValue: failpoint) != nil else {
            throw ValidationError("unknown --failpoint \(failpoint); available: crash-after-commit, pause-in-handler")
        }
        guard Failpoint(rawValue: failpoint) != .pauseInHandler || database != "none" else {
            // It pauses between a handler's run and its batch's commit; without a store there is no commit.
            throw ValidationError("--failpoint pause-in-handler needs the store; it cannot be used with --database none")
        }
        guard ["stages", "echo"].contains(handler) else {
            throw ValidationError("unknown --handler \(handler); available: stages, echo")
        }
        guard database != "none" || handler == "echo" else {
            // The stages keep pilot state in the store; without it nothing is exactly once.
            throw ValidationError("--database none works only with --handler echo")
        }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        let json = logFormat == "json"
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "pilot-worker")

        var configuration: WorkerConfiguration
        do {
            configuration = WorkerConfiguration(amqpURL: try AMQPURL(amqpURL))
            configuration.stages = stages == "all" ? Stage.all : try Stage.named(stages.split(separator: ",").map(String.init))
        } catch {
            throw ValidationError(String(describing: error))
        }
        configuration.connection.caFile = caFile.isEmpty ? nil : caFile
        configuration.connection.heartbeatSeconds = Int32(heartbeat)
        configuration.concurrency = concurrency
        configuration.prefetch = UInt16(prefetch)
        configuration.policy.maxAttempts = maxAttempts
        configuration.policy.retryDelays = Duration.list(parsing: retryDelays)!
        configuration.policy.maxBodyBytes = maxBodyBytes
        configuration.shutdownTimeout = .milliseconds(Int64(shutdownTimeout * 1000))

        let workspaceURL = URL(fileURLWithPath: workspace)
        let databasePath = database.isEmpty ? workspaceURL.appendingPathComponent(".pilot/pilot.db").path : database
        if database == "none" {
            logger.notice("no store: duplicates are not detected (echo handler, diagnostics only)")
        } else {
            configuration.effects = try openEffects(databasePath: databasePath, workspace: workspaceURL, logger: logger)
        }
        configuration.failpoint = Failpoint(rawValue: failpoint)
        configuration.dayLength = .milliseconds(Int64(daySeconds * 1000))
        let contracts: Contracts
        do {
            contracts = try Contracts.load(explicit: schemas)
        } catch {
            throw ValidationError("cannot load the event schemas: \(error)")
        }
        let echo = handler == "echo"
        let status = WorkerStatus()
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if metricsPort > 0 {
            let export = PrometheusExport()
            export.bootstrap()
            let gauges = StoreGauges(store: configuration.effects?.store, status: status, factory: export.factory, logger: logger)
            // First in the group, so it stops last and answers "not ready" while the worker drains.
            services.append(.init(service: HealthServer(
                host: metricsHost, port: UInt16(metricsPort), export: export, gauges: gauges, status: status, logger: logger)))
        }
        let worker = WorkerService(configuration: configuration, status: status, logger: logger, contracts: contracts) { stage in
            echo ? EchoStage.definition(for: stage) : PilotStages.definition(of: PilotStage(contractStage: stage))
        }
        services += worker.services()
        let group = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        let serviceGroup = ServiceGroup(configuration: group)
        try await serviceGroup.run()
        logger.info("worker stopped")
    }

    private func openEffects(databasePath: String, workspace: URL, logger: Logger) throws -> Effects {
        do {
            let store = try SQLitePilotStore(path: databasePath)
            logger.info("store opened", metadata: ["database": .string(databasePath), "workspace": .string(workspace.path)])
            return Effects(store: store, workspace: Workspace(root: workspace))
        } catch {
            throw ValidationError("cannot open the database \(databasePath): \(error)")
        }
    }
}
