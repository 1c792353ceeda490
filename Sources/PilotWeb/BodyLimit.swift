import Hummingbird
import PilotRuntime

/// Reads a JSON request body within the size limit, or says which 4xx to answer.
struct BodyLimit {
    let maxBytes: Int

    /// 415 unless the content type is JSON (`application/json` or
    /// `application/cloudevents+json`, UTF-8); unlike a broker message, an HTTP
    /// request must say what it carries.
    func contentTypeProblem(_ request: Request) -> Response? {
        let value = request.headers[.contentType]
        let problem =
            value == nil || value!.isEmpty
            ? "no Content-Type; expected \(ContentType.accepted.joined(separator: " or "))"
            : ContentType.problem(with: value)
        return problem.map { JSONResponse.error(.unsupportedMediaType, "unsupported_content_type", $0) }
    }

    /// The body's bytes, or a 413 answer when it is over the limit: refused from its
    /// Content-Length unread, or as soon as a chunked body passes the limit.
    func read(_ request: Request) async throws -> BodyRead {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBytes {
            return .refused(tooLarge(length))
        }
        do {
            var buffer = try await request.body.collect(upTo: maxBytes)
            return .bytes(buffer.readBytes(length: buffer.readableBytes) ?? [])
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            // NIO's "too many bytes": a chunked body, or one longer than it said.
            return .refused(tooLarge(nil))
        }
    }

    private func tooLarge(_ length: Int?) -> Response {
        JSONResponse.error(
            .contentTooLarge, "too_large",
            "the body\(length.map { " of \($0) bytes" } ?? "") is over the limit of \(maxBytes) bytes")
    }
}

/// A body read within the limit, or the answer that refuses it.
enum BodyRead {
    case bytes([UInt8])
    case refused(Response)
}
