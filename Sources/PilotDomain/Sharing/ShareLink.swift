// swift-crypto 3 does not mark its keys and codes Sendable; they are immutable values.
@preconcurrency import Crypto
import Foundation

/// The buyer's link to a pilot's page: `/share/<thread>?exp=<unix seconds>&sig=<hex>`,
/// where `sig` is HMAC-SHA256 with `PILOT_WEB_SECRET` over the thread id and the expiry.
///
/// One type signs (pilotctl, the emails) and verifies (pilot-web), so the two can never
/// disagree on what is signed. Pure: the caller passes the clock.
public struct ShareLink: Sendable, Hashable {
    /// The pilot's thread id.
    public var threadID: String
    /// Unix seconds after which the link shows nothing.
    public var expires: Int64
    /// Lowercase hex HMAC-SHA256, 64 characters.
    public var signature: String

    /// Why a link shows nothing. The page says which, never anything of the pilot.
    public enum Refusal: Error, Sendable, Equatable {
        /// `exp` or `sig` absent, or not a number / not 64 hex digits.
        case malformed
        /// The signature does not match this thread and expiry (tampered, or another thread's).
        case badSignature
        /// Signed correctly, but `exp` is in the past.
        case expired
    }

    /// Signs a link for `threadID` that expires at `expires` (unix seconds).
    public init(threadID: String, expires: Int64, secret: String) {
        self.threadID = threadID
        self.expires = expires
        signature = Self.hex(Self.mac(threadID: threadID, expires: expires, secret: secret))
    }

    /// A link valid for `days` days from `now`.
    public init(threadID: String, days: Int, now: Date, secret: String) {
        self.init(threadID: threadID, expires: Int64(now.timeIntervalSince1970) + Int64(days) * 86_400, secret: secret)
    }

    /// Checks the query values of a request for `threadID` against `secret` at `now`.
    /// The signature is checked before the expiry, so an expired link is told apart from
    /// a forged one only when it was genuine.
    public static func verify(
        threadID: String, exp: String?, sig: String?, secret: String, now: Date
    ) -> Result<ShareLink, Refusal> {
        guard let exp, let expires = Int64(exp), expires > 0, let sig, sig.utf8.count == 64,
            let presented = bytes(hex: sig)
        else { return .failure(.malformed) }
        // HMAC's isValidAuthenticationCode compares in constant time.
        guard HMAC<SHA256>.isValidAuthenticationCode(presented, authenticating: message(threadID, expires),
            using: key(secret))
        else { return .failure(.badSignature) }
        guard Int64(now.timeIntervalSince1970) < expires else { return .failure(.expired) }
        return .success(ShareLink(threadID: threadID, expires: expires, signature: sig.lowercased(), verified: ()))
    }

    /// `exp=…&sig=…`, to append to a page or document URL of the thread.
    public var query: String { "exp=\(expires)&sig=\(signature)" }

    /// The path and query of the buyer's page, e.g. `/share/acme-2026-11?exp=…&sig=…`.
    /// Thread ids are `[A-Za-z0-9._-]`, so they need no escaping.
    public var path: String { "/share/\(threadID)?\(query)" }

    /// The full link under `baseURL` (`PILOT_WEB_PUBLIC_URL`), without a doubled slash.
    public func url(baseURL: String) -> String {
        (baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL) + path
    }

    private init(threadID: String, expires: Int64, signature: String, verified: Void) {
        self.threadID = threadID
        self.expires = expires
        self.signature = signature
    }

    // A prefix names the purpose, so a signature made for something else with the same
    // secret never passes here; newlines cannot occur in a thread id or a number.
    private static func message(_ threadID: String, _ expires: Int64) -> [UInt8] {
        Array("pilot-share-v1\n\(threadID)\n\(expires)".utf8)
    }

    private static func key(_ secret: String) -> SymmetricKey { SymmetricKey(data: Array(secret.utf8)) }

    private static func mac(threadID: String, expires: Int64, secret: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: message(threadID, expires), using: key(secret)))
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func bytes(hex: String) -> [UInt8]? {
        var out: [UInt8] = []
        var high: UInt8?
        for c in hex.utf8 {
            let value: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = c - UInt8(ascii: "A") + 10
            default: return nil
            }
            if let h = high {
                out.append(h << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        return high == nil ? out : nil
    }
}
