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
