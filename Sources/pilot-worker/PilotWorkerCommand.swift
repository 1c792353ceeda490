import ArgumentParser
import Contracts
import Foundation
import Logging
import PilotAMQP
import PilotDelivery
import PilotObjectStore
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

    @Option(help: "Broker URL, or the node URLs of one cluster, comma-separated (connects to the first that answers, the next on reconnect); amqps:// connects with TLS. [PILOT_AMQP_URL]")
    var amqpURL = env("PILOT_AMQP_URL") ?? "amqp://guest:guest@127.0.0.1:5672/%2f"

    @Option(help: "Workspace folder shared with the sales system; documents go to threads/sales/<thread-id>/. [PILOT_WORKSPACE]")
    var workspace = env("PILOT_WORKSPACE") ?? FileManager.default.currentDirectoryPath

    @Option(help: "SQLite database of pilot state, inbox and outbox (default <workspace>/.pilot/pilot.db); 'none' runs the echo handler without a store, for benchmarks. [PILOT_DATABASE]")
    var database = env("PILOT_DATABASE") ?? ""

    @Option(help: "Length of a pilot day in seconds; small values rehearse a 30-day pilot in minutes. [PILOT_DAY_SECONDS]")
    var daySeconds = Double(env("PILOT_DAY_SECONDS") ?? "") ?? 86_400

    @Option(help: "Pilot days between reminders to sign, counted from the kickoff invite. [PILOT_SIGNATURE_REMINDER_DAYS]")
    var signatureReminderDays = Int(env("PILOT_SIGNATURE_REMINDER_DAYS") ?? "") ?? 3

    @Option(help: "Pilot days after the kickoff invite when an unsigned offer expires and the deal is lost. [PILOT_SIGNATURE_EXPIRY_DAYS]")
    var signatureExpiryDays = Int(env("PILOT_SIGNATURE_EXPIRY_DAYS") ?? "") ?? 14

    @Option(help: "Public base URL of pilot-web; when set, the kickoff and weekly e-mails link the buyer's pilot page. [PILOT_WEB_PUBLIC_URL]")
    var webPublicURL = env("PILOT_WEB_PUBLIC_URL") ?? ""

    @Option(help: "The secret pilot-web checks page links with (HMAC-SHA256); required with --web-public-url; never logged. [PILOT_WEB_SECRET]")
    var webSecret = env("PILOT_WEB_SECRET") ?? ""

    @Option(help: "Fault injection for crash tests only: crash-after-commit, pause-in-handler. [PILOT_FAILPOINT]")
    var failpoint = env("PILOT_FAILPOINT") ?? ""

    @Option(help: "CA bundle that signs the broker's TLS certificate (amqps:// only). [PILOT_CA_FILE]")
    var caFile = env("PILOT_CA_FILE") ?? ""

    @Option(help: "Stages to consume, comma-separated: agreement, kickoff, monitoring, results, next-action, delivery, or all (delivery only when mail or webhooks are configured). [PILOT_STAGES]")
    var stages = env("PILOT_STAGES") ?? "all"

    @Option(help: "Consumers per stage, each with its own connections and thread. [PILOT_CONCURRENCY]")
    var concurrency = Int(env("PILOT_CONCURRENCY") ?? "") ?? 1

    @Option(help: "Unacked deliveries per consumer (basic.qos). [PILOT_PREFETCH]")
    var prefetch = Int(env("PILOT_PREFETCH") ?? "") ?? Int(WorkerConfiguration.defaultPrefetch)

    @Option(help: "Folder of the event JSON Schemas; every event in and out is validated against them. [PILOT_SCHEMAS]")
    var schemas = env("PILOT_SCHEMAS") ?? ""

    @Option(help: "Handlers: 'stages' runs the pilot; 'echo' answers each event with pilot.echoed (diagnostics). [PILOT_HANDLER]")
    var handler = env("PILOT_HANDLER") ?? "stages"

    @Option(help: "MiB of JSON text whose parsed form the store's readers keep (metrics, issues and feedback, read again each day); about four times that in memory at most; 0 turns it off. [PILOT_JSON_CACHE_MB]")
    var jsonCacheMB = Int(env("PILOT_JSON_CACHE_MB") ?? "") ?? ParsedJSONCache.defaultBudgetBytes >> 20

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

    @Option(help: "SMTP server for the delivery stage: smtp://host:port or smtps://host:port; unset sends no mail. [PILOT_SMTP_URL]")
    var smtpURL = env("PILOT_SMTP_URL") ?? ""

    @Option(help: "STARTTLS on smtp://: require (default, except on loopback: opportunistic), opportunistic or off. [PILOT_SMTP_TLS]")
    var smtpTLS = env("PILOT_SMTP_TLS") ?? ""

    @Option(help: "SMTP user name; goes with --smtp-password. [PILOT_SMTP_USER]")
    var smtpUser = env("PILOT_SMTP_USER") ?? ""

    @Option(help: "SMTP password; never logged. Prefer the variable to the flag, which other users can see. [PILOT_SMTP_PASSWORD]")
    var smtpPassword = env("PILOT_SMTP_PASSWORD") ?? ""

    @Option(help: "CA bundle that signs the SMTP server's certificate (default: the system's). [PILOT_SMTP_CA_FILE]")
    var smtpCAFile = env("PILOT_SMTP_CA_FILE") ?? ""

    @Option(help: "Envelope sender (MAIL FROM) of the mail the delivery stage sends. [PILOT_MAIL_FROM]")
    var mailFrom = env("PILOT_MAIL_FROM") ?? ""

    @Option(help: "Webhook receivers, comma-separated http(s) URLs; unset sends no webhooks. [PILOT_WEBHOOK_URLS]")
    var webhookURLs = env("PILOT_WEBHOOK_URLS") ?? ""

    @Option(help: "Standard Webhooks signing secret, whsec_ followed by base64; never logged. [PILOT_WEBHOOK_SECRET]")
    var webhookSecret = env("PILOT_WEBHOOK_SECRET") ?? ""

    @Option(help: "Event types sent to the webhook receivers, comma-separated. [PILOT_WEBHOOK_EVENTS]")
    var webhookEvents = env("PILOT_WEBHOOK_EVENTS") ?? DeliveryRouting.defaultWebhookEvents.joined(separator: ",")

    @Option(help: "Seconds one webhook request may take in all (connecting: at most 5 of them), capped at the heartbeat. [PILOT_WEBHOOK_TIMEOUT]")
    var webhookTimeout = Double(env("PILOT_WEBHOOK_TIMEOUT") ?? "") ?? 10

    @Option(help: "Log format: text or json (one JSON object per line). [PILOT_LOG_FORMAT]")
    var logFormat = env("PILOT_LOG_FORMAT") ?? "text"

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical. [PILOT_LOG_LEVEL]")
    var logLevel = env("PILOT_LOG_LEVEL") ?? "info"

    func validate() throws {
        if let problem = unparsableVariable() { throw ValidationError(problem) }
        guard (1...64).contains(concurrency) else { throw ValidationError("--concurrency must be 1…64") }
        guard (1...65535).contains(prefetch) else { throw ValidationError("--prefetch must be 1…65535") }
        guard (0...65535).contains(metricsPort) else { throw ValidationError("--metrics-port must be 0…65535") }
        guard (0...65536).contains(jsonCacheMB) else { throw ValidationError("--json-cache-mb must be 0…65536") }
        guard maxAttempts >= 1 else { throw ValidationError("--max-attempts must be at least 1") }
        // The frame field is 16 bits, and larger values would trap converting to C's int.
        guard (0...65535).contains(heartbeat) else {
            throw ValidationError("--heartbeat [PILOT_HEARTBEAT] must be 0…65535 seconds (0 turns heartbeats off), got \(heartbeat)")
        }
        guard (0...3600).contains(shutdownTimeout) else {
            throw ValidationError("--shutdown-timeout [PILOT_SHUTDOWN_TIMEOUT] must be 0…3600 seconds, got \(shutdownTimeout)")
        }
        // RabbitMQ's own ceiling on a message is 512 MiB.
        guard (1024...(512 << 20)).contains(maxBodyBytes) else {
            throw ValidationError("--max-body-bytes [PILOT_MAX_BODY_BYTES] must be 1024…\(512 << 20), got \(maxBodyBytes)")
        }
        guard Duration.list(parsing: retryDelays) != nil else {
            throw ValidationError("--retry-delays must look like 1s,10s,60s,5m")
        }
        guard ["text", "json"].contains(logFormat) else { throw ValidationError("--log-format must be text or json") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
        guard Topology.dayLength(seconds: daySeconds) != nil else {
            throw ValidationError(Topology.dayLengthRefusal(String(daySeconds)))
        }
        if let problem = lifecyclePolicy.problem { throw ValidationError(problem) }
        if !webPublicURL.isEmpty {
            guard webPublicURL.hasPrefix("https://") || webPublicURL.hasPrefix("http://") else {
                throw ValidationError("PILOT_WEB_PUBLIC_URL must be an http(s) URL, got \"\(webPublicURL)\"")
            }
            guard webSecret.utf8.count >= 16 else {
                throw ValidationError("PILOT_WEB_PUBLIC_URL needs PILOT_WEB_SECRET (at least 16 bytes) to sign the page links in e-mails")
            }
        }
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
        guard webhookTimeout >= 0.1 && webhookTimeout <= 300 else { throw ValidationError("--webhook-timeout must be 0.1…300 seconds") }
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

        let workspaceURL = URL(fileURLWithPath: workspace)
        var configuration: WorkerConfiguration
        let delivery: Delivery?
        let documents: any DocumentStore
        do {
            configuration = WorkerConfiguration(broker: try AMQPNodes(amqpURL))
            // The workspace, or the bucket of PILOT_DOCUMENTS.
            documents = try DocumentStoreFactory.make(workspace: workspaceURL)
            delivery = try makeDelivery(documents: documents)
            configuration.stages = try selectStages(delivery: delivery)
        } catch {
            throw ValidationError(String(describing: error))
        }
        if let delivery {
            logger.info("delivery configured", metadata: [
                "smtp": .string(delivery.smtp?.description ?? "none"),
                "webhooks": .string(delivery.routing.webhookURLs.map(Redaction.url).joined(separator: ",")),
            ])
        }
        configuration.connection.caFile = caFile.isEmpty ? nil : caFile
        configuration.connection.heartbeatSeconds = Int32(heartbeat)
        configuration.concurrency = concurrency
        configuration.prefetch = UInt16(prefetch)
        configuration.policy.maxAttempts = maxAttempts
        configuration.policy.retryDelays = Duration.list(parsing: retryDelays)!
        configuration.policy.maxBodyBytes = maxBodyBytes
        configuration.shutdownTimeout = .milliseconds(Int64(shutdownTimeout * 1000))

        let location: DatabaseLocation
        do {
            location = try DatabaseLocation.parse(
                database == "none" ? "" : database, defaultPath: workspaceURL.appendingPathComponent(".pilot/pilot.db").path)
        } catch {
            throw ValidationError(error.description)
        }
        if database == "none" {
            logger.notice("no store: duplicates are not detected (echo handler, diagnostics only)")
        } else if configuration.stages.allSatisfy({ !$0.usesStore }) {
            logger.info("no store needed: every stage of this process runs without one (delivery)")
        } else {
            configuration.effects = try openEffects(location: location, documents: documents, logger: logger)
        }
        configuration.failpoint = Failpoint(rawValue: failpoint)
        configuration.dayLength = Topology.dayLength(seconds: daySeconds) ?? configuration.dayLength
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
            if let definition = delivery?.definition(for: stage) { return definition }
            return echo ? EchoStage.definition(for: stage) : PilotStages.definition(of: PilotStage(contractStage: stage), policy: lifecyclePolicy, links: buyerLinks)
        }
        services += worker.services()
        let group = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        let serviceGroup = ServiceGroup(configuration: group)
        try await serviceGroup.run()
        logger.info("worker stopped")
    }

    /// The buyer's page in the e-mails, when pilot-web is published.
    var buyerLinks: BuyerLinks? {
        webPublicURL.isEmpty ? nil : BuyerLinks(publicURL: webPublicURL, secret: webSecret)
    }

    var lifecyclePolicy: LifecyclePolicy {
        LifecyclePolicy(signatureReminderDays: signatureReminderDays, signatureExpiryDays: signatureExpiryDays)
    }

    /// Mail and webhooks, when either is configured.
    private func makeDelivery(documents: any DocumentStore) throws -> Delivery? {
        func nonEmpty(_ value: String) -> String? { value.isEmpty ? nil : value }
        let smtp = try nonEmpty(smtpURL).map { url in
            var smtp = try SMTPConfiguration(
                url: url, tls: nonEmpty(smtpTLS), user: nonEmpty(smtpUser), password: nonEmpty(smtpPassword),
                from: nonEmpty(mailFrom), caFile: nonEmpty(smtpCAFile))
            if heartbeat > 0 { smtp.timeout = min(smtp.timeout, .seconds(heartbeat)) }
            return smtp
        }
        let urls = DeliveryRouting.list(webhookURLs)
        var webhooks: WebhookConfiguration?
        if !urls.isEmpty {
            var configuration = try WebhookConfiguration(
                urls: urls, secret: nonEmpty(webhookSecret), events: DeliveryRouting.list(webhookEvents))
            configuration.timeout = .milliseconds(Int64(webhookTimeout * 1000))
            // A request blocks its consumer, which meanwhile sends no heartbeats.
            if heartbeat > 0 { configuration.timeout = min(configuration.timeout, .seconds(heartbeat)) }
            configuration.connectTimeout = min(configuration.timeout, .seconds(5))
            webhooks = configuration
        }
        guard smtp != nil || webhooks != nil else { return nil }
        return try Delivery(smtp: smtp, webhooks: webhooks, documents: documents)
    }

    /// `all` is the pipeline's stages and, when configured, delivery; `delivery` stands
    /// for the shared delivery queue and each webhook receiver's own.
    private func selectStages(delivery: Delivery?) throws -> [Stage] {
        let deliveryStages = delivery?.stages ?? []
        guard stages != "all" else { return Stage.all + deliveryStages }
        var selected: [Stage] = []
        for name in DeliveryRouting.list(stages) {
            if name == DeliveryRouting.stageName {
                guard !deliveryStages.isEmpty else {
                    throw ConfigurationError("stage delivery needs PILOT_SMTP_URL or PILOT_WEBHOOK_URLS")
                }
                selected += deliveryStages
            } else {
                selected += try Stage.named([name])
            }
        }
        return selected
    }

    private func openEffects(location: DatabaseLocation, documents: any DocumentStore, logger: Logger) throws -> Effects {
        let retention: StoreRetention
        do {
            // The inbox must outlive the longest pilot: its 60 days after the signature.
            retention = try StoreRetention(
                environment: ProcessInfo.processInfo.environment,
                minimumInbox: .seconds(Int64(60 + max(0, signatureExpiryDays) + 1) * 86_400))
        } catch {
            throw ValidationError(String(describing: error))
        }
        do {
            let store = try location.open()
            ParsedJSONCache.shared.setBudget(bytes: jsonCacheMB << 20)
            logger.info("store opened", metadata: [
                "database": .string(location.description), "documents": .string(documents.location), "json_cache_mb": .stringConvertible(jsonCacheMB),
            ])
            var effects = Effects(store: store, documents: documents)
            effects.retention = retention
            return effects
        } catch {
            throw ValidationError("cannot open the database \(location): \(error)")
        }
    }
}
