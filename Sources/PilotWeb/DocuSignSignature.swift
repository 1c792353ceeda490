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
    /// HMAC-SHA256 of a body under one key; tests count the calls through it.
    private let authenticate: @Sendable ([UInt8], SymmetricKey) -> HashedAuthenticationCode<SHA256>

    /// The key strings as DocuSign shows them; their UTF-8 bytes are the HMAC keys,
    /// as in DocuSign's own samples (the string is not base64-decoded).
    public init(keys: [String]) {
        self.init(keys: keys) { body, key in HMAC<SHA256>.authenticationCode(for: body, using: key) }
    }

    init(keys: [String], authenticate: @escaping @Sendable ([UInt8], SymmetricKey) -> HashedAuthenticationCode<SHA256>) {
        self.keys = keys.map { SymmetricKey(data: Array($0.utf8)) }
        self.authenticate = authenticate
    }

    /// Whether no key is configured (nothing can then be verified).
    public var isEmpty: Bool { keys.isEmpty }

    /// Whether one of `signatures` (the header values in order) is a valid HMAC of `body`.
    ///
    /// One HMAC per key, however many headers come: the headers are read before anything
    /// is authenticated, so one HMAC per header and key would let an unsigned 1 MiB request
    /// with 100 headers cost 100 MiB of SHA-256 per key.
    public func verify(body: [UInt8], signatures: [String]) -> Bool {
        let presented = signatures.prefix(Self.maximumHeaders).compactMap { signature -> Data? in
            guard let mac = Data(base64Encoded: signature.trimmingCharacters(in: .whitespaces)), mac.count == 32 else { return nil }
            return mac
        }
        guard !presented.isEmpty else { return false }
        let codes = keys.map { authenticate(body, $0) }
        var valid = false
        for mac in presented {
            for code in codes {
                // Constant time inside swift-crypto; every pair is compared so the time says
                // nothing about which key or header matched.
                if code == mac { valid = true }
            }
        }
        return valid
    }
}
