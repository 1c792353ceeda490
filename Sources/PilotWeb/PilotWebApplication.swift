import Contracts
import Hummingbird
import Logging
import PilotAMQP

/// Builds `pilot-web`: its routes, middleware and the publisher pool it runs as a service.
public enum PilotWebApplication {
    /// The application, ready for `runService()` or HummingbirdTesting's `test`.
    public static func make(
        configuration: WebConfiguration, contracts: Contracts, logger: Logger
    ) -> Application<RouterResponder<BasicRequestContext>> {
        var options = AMQPConnectionOptions()
        options.caFile = configuration.caFile
        options.connectionName = "pilot-web"
        let publisher = PublisherPool(
            url: configuration.amqpURL, options: options, size: configuration.publishers,
            confirmTimeout: configuration.confirmTimeout, logger: logger)
        let router = makeRouter(configuration: configuration, contracts: contracts, publisher: publisher, logger: logger)
        return Application(
            router: router,
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
}
