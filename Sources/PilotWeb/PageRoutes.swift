import Foundation
import Hummingbird
import Logging
import PilotOperations
import PilotRuntime
import PilotStore

/// The page routes: the buyer's page, the dashboard and the stylesheet. A `PageError`
/// becomes a plain HTML page with its status; nothing of a pilot is on it.
struct PageRoutes: Sendable {
    let buyer: BuyerPage
    let dashboard: Dashboard
    let templates: WebTemplates
    let logger: Logger

    func register(on router: Router<BasicRequestContext>) {
        router.get("/static/pilot.css") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: templates.stylesheet)))
        }
        router.get("/share/:thread") { request, context in
            let thread = try context.parameters.require("thread")
            return try await page(request) { try buyer.page(thread, request) }
        }
        router.get("/share/:thread/documents/:name") { request, context in
            let (thread, name) = (try context.parameters.require("thread"), try context.parameters.require("name"))
            return try await page(request) { try buyer.file(thread, folder: nil, name: name, request) }
        }
        router.get("/share/:thread/charts/:name") { request, context in
            let (thread, name) = (try context.parameters.require("thread"), try context.parameters.require("name"))
            return try await page(request) { try buyer.file(thread, folder: "charts", name: name, request) }
        }
        router.get("/login") { request, _ in try await page(request) { try dashboard.loginForm() } }
        router.post("/login") { request, _ in try await page(request) { try await dashboard.login(request) } }
        router.post("/logout") { request, _ in try await page(request) { try await dashboard.logout(request) } }
        router.get("/") { request, _ in try await page(request) { try await dashboard.overview(request) } }
        router.get("/pilots/:thread") { request, context in
            let thread = try context.parameters.require("thread")
            return try await page(request) { try dashboard.pilot(thread, request) }
        }
        router.get("/pilots/:thread/file") { request, context in
            let thread = try context.parameters.require("thread")
            return try await page(request) { try dashboard.file(thread, request) }
        }
        router.post("/dead-letters/:stage/replay") { request, context in
            try await page(request) { try await dashboard.replay(try context.parameters.require("stage"), request) }
        }
    }

    /// A page that reads the store or the documents: on `Offload`'s threads, which may block.
    func page(_ request: Request, _ body: @escaping @Sendable () throws -> Response) async throws -> Response {
        do {
            return try await Offload.run(body)
        } catch {
            return try refusal(error, request)
        }
    }

    func page(_ request: Request, _ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch {
            return try refusal(error, request)
        }
    }

    private func refusal(_ error: any Error, _ request: Request) throws -> Response {
        if error is SignInRequired {
            // A script or API client presented a header that did not match: tell it plainly.
            if request.headers[.authorization] != nil {
                return errorPage(.unauthorized, "Not signed in", "The bearer token is not the operator token.", loginLink: true)
            }
            return HTMLResponse.seeOther("/login")
        }
        if let error = error as? PageError { return errorPage(error.status, error.title, error.message, loginLink: false) }
        // A person is looking: a page, not the API's JSON, and nothing of the cause on it.
        logger.error("a page failed", metadata: ["path": .string(String(request.uri.path.prefix(200))), "error": .string("\(error)")])
        if error is SQLiteError || error is PostgresError || error is PilotStoreError {
            let unavailable = PageError.unavailable("The pilot records cannot be read right now. Try again in a minute.")
            return errorPage(unavailable.status, unavailable.title, unavailable.message, loginLink: false)
        }
        return errorPage(.internalServerError, "Something went wrong", "This page could not be shown. The operators have the details in the log.", loginLink: false)
    }

    private func errorPage(_ status: HTTPResponse.Status, _ heading: String, _ message: String, loginLink: Bool) -> Response {
        HTMLResponse.make(status, templates.render(.error, [
            "title": heading, "brand": "Pilot", "heading": heading, "message": message, "loginLink": loginLink,
            "footer": "pilot-web",
        ]))
    }
}
