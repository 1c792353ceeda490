import Hummingbird

/// Adds the headers every answer carries, errors included: no browser may sniff, frame
/// or refer from them, and a page may load only this server's stylesheet and images
/// (no script at all, inline or not) and post forms only back here.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    static var headers: HTTPFields {
        [
            .xContentTypeOptions: "nosniff",
            HTTPFields.Element.Name("Referrer-Policy")!: "no-referrer",
            .contentSecurityPolicy:
                "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            .cacheControl: "no-store",
        ]
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            // Turned into a response here, not in the router, so that it gets the headers too.
            response = try error.response(from: request, context: context)
        } catch {
            // A bug, not the client's fault; what it was stays in the server's log, not the answer.
            context.logger.error("request failed", metadata: ["error": .string(String(describing: error))])
            response = JSONResponse.error(.internalServerError, "internal_error", "the request could not be handled")
        }
        for field in Self.headers { response.headers[field.name] = field.value }
        return response
    }
}
