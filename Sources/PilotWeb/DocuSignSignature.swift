// swift-crypto 3 does not mark SymmetricKey Sendable; it is an immutable value.
@preconcurrency import Crypto
import Foundation

/// DocuSign Connect's HMAC check: each `X-DocuSign-Signature-N` header holds base64
/// of HMAC-SHA256 over the raw body, one per key the account has active. A body is
/// genuine when any header matches any of our keys, which lets keys rotate: the new
/// key is added here before it is activated in DocuSign, the old one removed after.
public struct DocuSignSignature: Sendable {
    /// The header name of the n-th signature (1-based).
    public static func header(_ n: Int) -> String { "X-DocuSign-Signature-\(n)" }
    /// DocuSign allows up to 100 active keys; headers past that are not read.
    public static let maximumHeaders = 100

    private let keys: [SymmetricKey]

    /// The key strings as DocuSign shows them; their UTF-8 bytes are the HMAC keys,
    /// as in DocuSign's own samples (the string is not base64-decoded).
    public init(keys: [String]) {
        self.keys = keys.map { SymmetricKey(data: Array($0.utf8)) }
    }

    /// Whether no key is configured (nothing can then be verified).
    public var isEmpty: Bool { keys.isEmpty }

    /// Whether one of `signatures` (the header values in order) is a valid HMAC of `body`.
    public func verify(body: [UInt8], signatures: [String]) -> Bool {
        var valid = false
        for signature in signatures.prefix(Self.maximumHeaders) {
            guard let mac = Data(base64Encoded: signature.trimmingCharacters(in: .whitespaces)), mac.count == 32 else {
                continue
            }
            for key in keys {
                // Constant time inside swift-crypto; every pair is tried so the time says
                // nothing about which key or header matched.
                if HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: body, using: key) { valid = true }
            }
        }
        return valid
    }
}
