// swift-crypto 3 does not mark its digests Sendable; they are immutable values.
@preconcurrency import Crypto

/// The operators' and upstream systems' bearer token, checked in constant time.
public struct BearerToken: Sendable {
    /// Only the digest is kept: comparing two SHA-256 digests takes the same time
    /// whatever the presented token is, its length included.
    private let digest: SHA256.Digest?

    /// nil accepts nothing, so a route whose token was never configured is closed, not open.
    public init(_ token: String?) {
        digest = token.map { SHA256.hash(data: Array($0.utf8)) }
    }

    /// Whether an `Authorization` header value carries the token (`Bearer <token>`).
    public func accepts(authorization: String?) -> Bool {
        guard let digest, let authorization else { return false }
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return false }
        // swift-crypto compares digests in constant time.
        return SHA256.hash(data: Array(parts[1].utf8)) == digest
    }
}
