import Foundation
import Hummingbird

/// An `application/x-www-form-urlencoded` body, the only kind the dashboard's forms send.
struct FormBody: Sendable {
    var fields: [String: String]

    subscript(name: String) -> String? { fields[name] }

    /// Reads at most `maxBytes` (forms here are tiny); anything else is a 400.
    static func read(_ request: Request, maxBytes: Int = 8192) async throws -> FormBody {
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true else {
            throw PageError.badRequest("the form must be sent as application/x-www-form-urlencoded")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maxBytes)
        } catch {
            throw PageError.badRequest("the form is larger than \(maxBytes) bytes")
        }
        return FormBody(fields: parse(String(buffer: buffer)))
    }

    /// The form of a POST that must carry a CSRF token: a body that is no form (another
    /// content type, none, too large) carries none, so the caller's check answers 403
    /// as the contract says, not 400.
    static func readForCSRF(_ request: Request) async -> FormBody {
        (try? await read(request)) ?? FormBody(fields: [:])
    }

    static func parse(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (part: Substring) in
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            let name = decode(parts[0])
            if fields[name] == nil { fields[name] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return fields
    }
}
