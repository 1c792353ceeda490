import Crypto
import Foundation
import Synchronization
import Testing
@testable import PilotWeb

@Suite struct SignatureTests {
    // The HMAC-SHA256 of Wikipedia's example, base64 (computed with Python's hmac module).
    static let foxSignature = "97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg="
    static let fox = Array("The quick brown fox jumps over the lazy dog".utf8)

    @Test func aKnownSignatureVerifies() {
        #expect(DocuSignSignature(keys: ["key"]).verify(body: Self.fox, signatures: [Self.foxSignature]))
    }

    @Test func oneByteOffFailsWhetherInTheBodyOrTheSignature() {
        let check = DocuSignSignature(keys: ["key"])
        var body = Self.fox
        body[0] ^= 0x01
        #expect(!check.verify(body: body, signatures: [Self.foxSignature]))
        var signature = Array(Self.foxSignature.utf8)
        signature[5] = signature[5] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(!check.verify(body: Self.fox, signatures: [String(decoding: signature, as: UTF8.self)]))
    }

    @Test func anyHeaderMayMatchAnyKey() {
        let check = DocuSignSignature(keys: ["new-key", "key"])
        #expect(check.verify(body: Self.fox, signatures: ["bm90IGEgc2lnbmF0dXJl", Self.foxSignature]))
        #expect(!DocuSignSignature(keys: ["new-key"]).verify(body: Self.fox, signatures: [Self.foxSignature]))
    }

    /// The headers come before any check: a hundred of them must not cost a hundred HMACs
    /// of the body per key.
    @Test func oneHMACPerKeyHoweverManyHeaders() {
        let calls = Atomic(0)
        let check = DocuSignSignature(keys: ["old-key", "key"]) { body, key in
            calls.add(1, ordering: .relaxed)
            return HMAC<SHA256>.authenticationCode(for: body, using: key)
        }
        let decoys = (1..<DocuSignSignature.maximumHeaders).map { _ in Data(repeating: 0, count: 32).base64EncodedString() }
        #expect(check.verify(body: Self.fox, signatures: decoys + [Self.foxSignature]))
        #expect(calls.load(ordering: .relaxed) == 2)
        #expect(!check.verify(body: Self.fox, signatures: decoys + decoys))
        #expect(calls.load(ordering: .relaxed) == 4)
        // Nothing that could be a signature: no HMAC at all.
        #expect(!check.verify(body: Self.fox, signatures: ["", "%%%", "AAAA"]))
        #expect(calls.load(ordering: .relaxed) == 4)
    }

    @Test func noKeyOrNoSignatureVerifiesNothing() {
        #expect(!DocuSignSignature(keys: []).verify(body: Self.fox, signatures: [Self.foxSignature]))
        #expect(!DocuSignSignature(keys: ["key"]).verify(body: Self.fox, signatures: []))
        #expect(!DocuSignSignature(keys: ["key"]).verify(body: Self.fox, signatures: ["", "%%%", "AAAA"]))
    }

    @Test func bearerTokenMustMatchExactly() {
        let token = BearerToken("0123456789abcdef-token")
        #expect(token.accepts(authorization: "Bearer 0123456789abcdef-token"))
        #expect(token.accepts(authorization: "bearer 0123456789abcdef-token"))
        #expect(!token.accepts(authorization: "Bearer 0123456789abcdef-tokeN"))
        #expect(!token.accepts(authorization: "Bearer 0123456789abcdef-token "))
        #expect(!token.accepts(authorization: "Bearer 0123456789abcdef-toke"))
        #expect(!token.accepts(authorization: "Basic 0123456789abcdef-token"))
        #expect(!token.accepts(authorization: "0123456789abcdef-token"))
        #expect(!token.accepts(authorization: nil))
    }

    @Test func noConfiguredTokenAcceptsNothing() {
        let token = BearerToken(nil)
        #expect(!token.accepts(authorization: "Bearer "))
        #expect(!token.accepts(authorization: "Bearer anything"))
    }
}
