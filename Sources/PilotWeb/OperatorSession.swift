// swift-crypto 3 does not mark its keys Sendable; they are immutable values.
@preconcurrency import Crypto
import Foundation
import Hummingbird

/// Who may use the dashboard: whoever presents `PILOT_WEB_TOKEN` as a bearer header, or
/// a browser that signed in with it and holds the session cookie.
///
/// The cookie is `<expiry>.<HMAC>` under a key derived from the token, never the token
/// itself: a stolen cookie ends at its expiry, and changing the token ends every session.
/// Forms carry a CSRF token bound to the cookie (HMAC of it under the same key), on top
/// of the cookie being `SameSite=Strict`.
struct OperatorSession: Sendable {
    static let cookieName = "pilot_session"
    static let lifetime: Int64 = 12 * 3600

    let bearer: BearerToken
    /// nil when no token is configured: the dashboard then refuses everyone.
    private let key: SymmetricKey?
    let secureCookie: Bool

    init(token: String?, secureCookie: Bool) {
        bearer = BearerToken(token)
        key = token.map { token in
            SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(
                for: Array("pilot-web dashboard session v1".utf8), using: SymmetricKey(data: Array(token.utf8)))))
        }
        self.secureCookie = secureCookie
    }

    var isConfigured: Bool { key != nil }

    /// How the request is signed in, or nil.
    enum Credential: Equatable {
        case bearer
        /// The session cookie's value, which the CSRF token is bound to.
        case session(String)
    }

    func credential(_ request: Request, now: Date) -> Credential? {
        if bearer.accepts(authorization: request.headers[.authorization]) { return .bearer }
        guard let value = Self.cookie(request, named: Self.cookieName), isValid(session: value, now: now) else { return nil }
        return .session(value)
    }

    /// Whether `token` is the operator token (the login form).
    func accepts(token: String) -> Bool { bearer.accepts(authorization: "Bearer " + token) }

    /// A new session value valid for `lifetime` from `now`.
    func newSession(now: Date) -> String {
        let expires = Int64(now.timeIntervalSince1970) + Self.lifetime
        return "\(expires).\(mac("session\n\(expires)"))"
    }

    func isValid(session value: String, now: Date) -> Bool {
        let parts = value.split(separator: ".", maxSplits: 1)
        guard parts.count == 2, let expires = Int64(parts[0]), Int64(now.timeIntervalSince1970) < expires else { return false }
        return constantTimeEqual(mac("session\n\(expires)"), String(parts[1]))
    }

    /// The CSRF token of the forms shown to `credential`; bearer requests need none.
    func csrf(for credential: Credential) -> String {
        switch credential {
        case .bearer: ""
        case .session(let value): mac("csrf\n\(value)")
        }
    }

    func acceptsCSRF(_ token: String?, for credential: Credential) -> Bool {
        switch credential {
        case .bearer: true
        case .session: constantTimeEqual(csrf(for: credential), token ?? "")
        }
    }

    /// `Set-Cookie` for a new session, or for ending it (`value` nil).
    func setCookie(_ value: String?) -> String {
        var parts = ["\(Self.cookieName)=\(value ?? "")", "Path=/", "HttpOnly", "SameSite=Strict",
            "Max-Age=\(value == nil ? 0 : Self.lifetime)"]
        if secureCookie { parts.append("Secure") }
        return parts.joined(separator: "; ")
    }

    private func mac(_ text: String) -> String {
        guard let key else { return "" }
        return HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: key).map { String(format: "%02x", $0) }.joined()
    }

    private func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count, !x.isEmpty else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }

    static func cookie(_ request: Request, named name: String) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0] == name { return String(parts[1]) }
            }
        }
        return nil
    }
}
