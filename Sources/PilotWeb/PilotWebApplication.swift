import Contracts
import Foundation
import Hummingbird
import Logging
import PilotAMQP
import PilotOperations
import PilotRuntime
import PilotStore

/// Builds `pilot-web`: its routes, middleware and the publisher pool it runs as a service.
public enum PilotWebApplication {
    /// The application, ready for `runService()` or HummingbirdTesting's `test`.
    /// - Parameters:
    ///   - templates: the page templates; by default found with `WebTemplates.load()`.
    ///   - store: the store the pages read; by default `configuration.database`, opened on first use.
    ///   - now: the pages' clock (link expiry, sessions).
    public static func make(
        configuration: WebConfiguration, contracts: Contracts, logger: Logger, templates: WebTemplates? = nil,
        store: (any PilotStore)? = nil, now: @escaping @Sendable () -> Date = { Date() }
    ) -> Application<RouterResponder<BasicRequestContext>> {
        var options = AMQPConnectionOptions()
        options.caFile = configuration.caFile
        options.connectionName = "pilot-web"
        let publisher = PublisherPool(
            broker: configuration.broker, options: options, size: configuration.publishers,
            confirmTimeout: configuration.confirmTimeout, logger: logger)
        let router = makeRouter(configuration: configuration, contracts: contracts, publisher: publisher, logger: logger)
        if let pages = pageRoutes(
            configuration: configuration, options: options, logger: logger, templates: templates, store: store, now: now)
        {
            pages.register(on: router)
        } else {
            logger.error("page templates not found: the buyer pages and the dashboard are off")
        }
        return Application(
            router: router,
            server: .http1(configuration: .init(idleTimeout: .milliseconds(configuration.idleTimeout.milliseconds))),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            services: [publisher], logger: logger)
    }

    static func makeRouter(
        configuration: WebConfiguration, contracts: Contracts, publisher: PublisherPool, logger: Logger
    ) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: RequestLogMiddleware(logger: logger))
        router.add(middleware: SecurityHeadersMiddleware())
        let body = BodyLimit(maxBytes: configuration.maxBodyBytes)
        let events = EventsRoute(
            token: BearerToken(configuration.token), body: body, contracts: contracts, publisher: publisher, logger: logger)
        let docuSign = DocuSignRoute(
            signature: DocuSignSignature(keys: configuration.docuSignKeys), body: body, contracts: contracts,
            publisher: publisher, logger: logger)
        router.post("/events") { request, _ in try await events.handle(request) }
        router.post("/webhooks/docusign") { request, _ in try await docuSign.handle(request) }
        router.get("/healthz") { _, _ in JSONResponse.make(.ok, ["status": "ok"]) }
        router.get("/readyz") { _, _ in
            let (ready, reason) = publisher.readiness
            return JSONResponse.make(ready ? .ok : .serviceUnavailable, ["ready": .bool(ready), "reason": .string(reason)])
        }
        return router
    }

    static func pageRoutes(
        configuration: WebConfiguration, options: AMQPConnectionOptions, logger: Logger, templates: WebTemplates?,
        store: (any PilotStore)?, now: @escaping @Sendable () -> Date
    ) -> PageRoutes? {
        guard let templates = templates ?? (try? WebTemplates.load()) else { return nil }
        let handle = store.map { StoreHandle(store: $0) } ?? StoreHandle(location: configuration.databaseLocation)
        let documents = configuration.documents ?? Workspace(root: URL(fileURLWithPath: configuration.workspace), syncFiles: false)
        let management = try? ManagementAPI(url: configuration.managementURL, amqp: configuration.amqpURL)
        let broker = BrokerAccess(
            broker: configuration.broker, options: options, management: management, stages: Stage.configured,
            dayLength: configuration.dayLength)
        return PageRoutes(
            buyer: BuyerPage(secret: configuration.secret, store: handle, documents: documents, templates: templates, now: now),
            dashboard: Dashboard(
                session: OperatorSession(token: configuration.token, secureCookie: configuration.secureCookies),
                store: handle, documents: documents, broker: broker, panel: BrokerPanel(broker: broker), templates: templates, secret: configuration.secret,
                publicURL: configuration.publicURL, logger: logger, now: now),
            templates: templates, logger: logger)
    }
}
