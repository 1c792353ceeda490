import Hummingbird

/// HTML answers: UTF-8, never cached (a page shows live state and may be private).
enum HTMLResponse {
    static func make(_ status: HTTPResponse.Status = .ok, _ html: String, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// 303 to `location` (after a form POST), so a reload does not post again.
    static func seeOther(_ location: String, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.location] = location
        return Response(status: .seeOther, headers: headers)
    }
}
