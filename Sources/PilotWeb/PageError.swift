import Hummingbird

/// Why a page cannot be shown; `PagesMiddleware` turns it into a plain HTML page.
enum PageError: Error, Sendable {
    /// 404: no such pilot, document or page.
    case notFound(String)
    /// 403: a buyer link that is expired, tampered or for another thread.
    case forbidden(String)
    /// 503: the store or the broker cannot be read now, or the feature is not configured.
    case unavailable(String)
    /// 400: a form that makes no sense.
    case badRequest(String)

    var status: HTTPResponse.Status {
        switch self {
        case .notFound: .notFound
        case .forbidden: .forbidden
        case .unavailable: .serviceUnavailable
        case .badRequest: .badRequest
        }
    }

    var title: String {
        switch self {
        case .notFound: "Not found"
        case .forbidden: "This link does not open a pilot page"
        case .unavailable: "Not available right now"
        case .badRequest: "Bad request"
        }
    }

    var message: String {
        switch self {
        case .notFound(let text), .forbidden(let text), .unavailable(let text), .badRequest(let text): text
        }
    }
}
