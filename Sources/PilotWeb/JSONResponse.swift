import Hummingbird
import PilotJSON

/// JSON answers, serialized by the same code as events, so they are always valid JSON.
enum JSONResponse {
    static func make(_ status: HTTPResponse.Status, _ body: JSONValue, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body.serializedBytes())))
    }

    /// `{"error": code, "message": message}`, with further members when given.
    static func error(
        _ status: HTTPResponse.Status, _ code: String, _ message: String, extra: [(String, JSONValue)] = [],
        headers: HTTPFields = [:]
    ) -> Response {
        var object = JSONObject([("error", .string(code)), ("message", .string(message))])
        for (key, value) in extra { object[key] = value }
        return make(status, .object(object), headers: headers)
    }
}
