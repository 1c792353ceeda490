import ArgumentParser
import Contracts
import Foundation
import Hummingbird
import Logging
import PilotObjectStore
import PilotRuntime
import PilotWeb

@main
struct PilotWebCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pilot-web",
        abstract: "Takes events and DocuSign Connect notifications over HTTP and publishes them to pilot.events; serves the buyers' pilot pages and the ops dashboard.",
        discussion: """
            Routes: POST /events (bearer token), POST /webhooks/docusign (DocuSign HMAC), GET /share/<thread>?exp=&sig= \
            (the buyer's page, signed with PILOT_WEB_SECRET), GET / and GET /pilots/<thread> (the dashboard: sign in with \
            PILOT_WEB_TOKEN or send it as a bearer token), GET /healthz, GET /readyz. \
            Every option can also be set with the environment variable shown in brackets; a flag wins over the \
            variable. Without a token POST /events answers 401 to everyone; without an HMAC key \
            POST /webhooks/docusign does; with neither, pilot-web refuses to start. SIGTERM or SIGINT stops it \
            gracefully.
            """)

    @Option(help: "Address to listen on. [PILOT_WEB_HOST]")
    var host = env("PILOT_WEB_HOST") ?? "0.0.0.0"

    @Option(help: "Port to listen on. [PILOT_WEB_PORT]")
    var port = env("PILOT_WEB_PORT") ?? "8080"

    @Option(help: "Bearer token of POST /events, at least 16 characters; prefer the variable, a flag shows in ps. [PILOT_WEB_TOKEN]")
    var token = env("PILOT_WEB_TOKEN") ?? ""

    @Option(name: .customLong("docusign-hmac-key"), help: "DocuSign Connect HMAC key; several comma-separated while rotating. [PILOT_DOCUSIGN_HMAC_KEY]")
    var docuSignHMACKey = env("PILOT_DOCUSIGN_HMAC_KEY") ?? ""

    @Option(help: "Broker URL, or the node URLs of one cluster, comma-separated; amqps:// connects with TLS. [PILOT_AMQP_URL]")
    var amqpURL = env("PILOT_AMQP_URL") ?? "amqp://guest:guest@127.0.0.1:5672/%2f"

    @Option(help: "CA bundle that signs the broker's TLS certificate (amqps:// only). [PILOT_CA_FILE]")
    var caFile = env("PILOT_CA_FILE") ?? ""

    @Option(help: "Folder of the event JSON Schemas. [PILOT_SCHEMAS]")
    var schemas = env("PILOT_SCHEMAS") ?? ""

    @Option(help: "Largest request body in bytes; larger ones get 413. [PILOT_WEB_MAX_BODY_BYTES]")
    var maxBodyBytes = env("PILOT_WEB_MAX_BODY_BYTES") ?? "1048576"

    @Option(help: "Publishing connections to the broker, each on its own thread. [PILOT_WEB_PUBLISHERS]")
    var publishers = env("PILOT_WEB_PUBLISHERS") ?? "2"

    @Option(help: "Seconds a request waits for the broker's confirm before it gets 503. [PILOT_WEB_CONFIRM_TIMEOUT]")
    var confirmTimeout = env("PILOT_WEB_CONFIRM_TIMEOUT") ?? "10"

    @Option(help: "Seconds a connection may send nothing, in a request or between requests, before it is closed. [PILOT_WEB_IDLE_TIMEOUT]")
    var idleTimeout = env("PILOT_WEB_IDLE_TIMEOUT") ?? "60"

    @Option(help: "Secret that signs the buyers' links, at least 16 characters; pilotctl pilot share uses the same. [PILOT_WEB_SECRET]")
    var secret = env("PILOT_WEB_SECRET") ?? ""

    @Option(help: "Public base URL of this service, e.g. https://pilots.example.com; https makes the session cookie Secure. [PILOT_WEB_PUBLIC_URL]")
    var publicURL = env("PILOT_WEB_PUBLIC_URL") ?? ""

    @Option(help: "Workspace folder the documents are read from. [PILOT_WORKSPACE]")
    var workspace = env("PILOT_WORKSPACE") ?? FileManager.default.currentDirectoryPath

    @Option(help: "Database the pages read (default <workspace>/.pilot/pilot.db). [PILOT_DATABASE]")
    var database = env("PILOT_DATABASE") ?? ""

    @Option(help: "RabbitMQ management API for queue depths (default http://<AMQP host>:15672). [PILOT_MANAGEMENT_URL]")
    var managementURL = env("PILOT_MANAGEMENT_URL") ?? ""

    @Option(help: "Length of a pilot day in seconds, as the workers use it (names the timer queue). [PILOT_DAY_SECONDS]")
    var daySeconds = env("PILOT_DAY_SECONDS") ?? "86400"

    @Option(help: "Folder with the page Templates/ and Static/ (default: the build's resources). [PILOT_WEB_RESOURCES]")
    var resources = env("PILOT_WEB_RESOURCES") ?? ""

    @Option(help: "Log format: text or json (one JSON object per line). [PILOT_LOG_FORMAT]")
    var logFormat = env("PILOT_LOG_FORMAT") ?? "text"

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical. [PILOT_LOG_LEVEL]")
    var logLevel = env("PILOT_LOG_LEVEL") ?? "info"

    func run() async throws {
        guard ["text", "json"].contains(logFormat) else { throw ValidationError("--log-format must be text or json") }
        guard let level = Logger.Level(rawValue: logLevel) else { throw ValidationError("unknown --log-level \(logLevel)") }
        var configuration: WebConfiguration
        do {
            configuration = try WebConfiguration(
                host: host, port: port, token: token, docuSignHMACKeys: docuSignHMACKey, amqpURL: amqpURL,
                caFile: caFile, maxBodyBytes: maxBodyBytes, publishers: publishers, confirmTimeout: confirmTimeout,
                idleTimeout: idleTimeout, secret: secret, publicURL: publicURL, database: database, workspace: workspace,
                managementURL: managementURL, daySeconds: daySeconds)
        } catch {
            throw ValidationError(error.description)
        }
        do {
            // The workspace, or the bucket of PILOT_DOCUMENTS (pilot-worker's factory).
            configuration.documents = try DocumentStoreFactory.make(
                workspace: URL(fileURLWithPath: configuration.workspace), syncFiles: false)
        } catch {
            throw ValidationError(String(describing: error))
        }
        guard configuration.token != nil || !configuration.docuSignKeys.isEmpty || configuration.secret != nil else {
            throw ValidationError(
                "set PILOT_WEB_TOKEN, PILOT_DOCUSIGN_HMAC_KEY or both (and PILOT_WEB_SECRET for buyer links): without any, every route is closed")
        }
        let templates: WebTemplates
        do {
            templates = try WebTemplates.load(explicit: resources)
        } catch {
            throw ValidationError("\(error)")
        }
        let json = logFormat == "json"
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "pilot-web")
        let contracts: Contracts
        do {
            contracts = try Contracts.load(explicit: schemas)
        } catch {
            throw ValidationError("cannot load the event schemas: \(error)")
        }
        if configuration.token == nil { logger.warning("PILOT_WEB_TOKEN is not set: POST /events answers 401 to every request") }
        if configuration.token == nil { logger.warning("PILOT_WEB_TOKEN is not set: the dashboard answers 503 to everyone") }
        if configuration.secret == nil { logger.warning("PILOT_WEB_SECRET is not set: every buyer link answers 403") }
        if configuration.docuSignKeys.isEmpty {
            logger.warning("PILOT_DOCUSIGN_HMAC_KEY is not set: POST /webhooks/docusign answers 401 to every request")
        }
        logger.info("pilot-web starting", metadata: [
            "address": .string("\(configuration.host):\(configuration.port)"), "broker": .stringConvertible(configuration.broker),
        ])
        let app = PilotWebApplication.make(configuration: configuration, contracts: contracts, logger: logger, templates: templates)
        try await app.runService()
    }
}

/// Reads a `PILOT_*` variable; an empty one counts as unset.
func env(_ name: String) -> String? {
    guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
    return value
}
