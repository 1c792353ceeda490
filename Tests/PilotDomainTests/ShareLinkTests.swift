import Foundation
import PilotDomain
import Testing

@Suite struct ShareLinkTests {
    static let secret = "share-secret-0123456789abcdef"
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    @Test func aSignedLinkVerifiesUntilItExpires() throws {
        let link = ShareLink(threadID: "acme-2026-11", days: 30, now: Self.now, secret: Self.secret)
        #expect(link.expires == 1_795_000_000 + 30 * 86_400)
        #expect(link.signature.count == 64)
        #expect(link.path == "/share/acme-2026-11?exp=\(link.expires)&sig=\(link.signature)")
        #expect(link.url(baseURL: "https://pilots.example.com/") == "https://pilots.example.com" + link.path)
        let verified = ShareLink.verify(
            threadID: "acme-2026-11", exp: String(link.expires), sig: link.signature, secret: Self.secret, now: Self.now)
        #expect(try verified.get() == link)
        // Upper-case hex is the same signature.
        #expect((try? ShareLink.verify(threadID: "acme-2026-11", exp: String(link.expires), sig: link.signature.uppercased(),
            secret: Self.secret, now: Self.now).get()) != nil)
        let later = Date(timeIntervalSince1970: TimeInterval(link.expires))
        #expect(ShareLink.verify(threadID: "acme-2026-11", exp: String(link.expires), sig: link.signature, secret: Self.secret, now: later)
            == .failure(.expired))
    }

    @Test func tamperedForeignOrMalformedLinksAreRefused() {
        let link = ShareLink(threadID: "acme-2026-11", days: 30, now: Self.now, secret: Self.secret)
        func check(_ thread: String, _ exp: String?, _ sig: String?, secret: String = Self.secret) -> ShareLink.Refusal? {
            if case .failure(let refusal) = ShareLink.verify(threadID: thread, exp: exp, sig: sig, secret: secret, now: Self.now) {
                return refusal
            }
            return nil
        }
        var flipped = Array(link.signature)
        flipped[10] = flipped[10] == "0" ? "1" : "0"
        #expect(check("acme-2026-11", String(link.expires), String(flipped)) == .badSignature)
        #expect(check("acme-2026-11", String(link.expires + 86_400), link.signature) == .badSignature, "a longer expiry")
        #expect(check("other-2026-11", String(link.expires), link.signature) == .badSignature, "another thread")
        #expect(check("acme-2026-11", String(link.expires), link.signature, secret: "another-secret-0123456789") == .badSignature)
        #expect(check("acme-2026-11", nil, link.signature) == .malformed)
        #expect(check("acme-2026-11", String(link.expires), nil) == .malformed)
        #expect(check("acme-2026-11", "soon", link.signature) == .malformed)
        #expect(check("acme-2026-11", String(link.expires), String(link.signature.dropLast())) == .malformed)
        #expect(check("acme-2026-11", String(link.expires), String(link.signature.dropLast()) + "g") == .malformed)
        #expect(check("acme-2026-11", "-5", link.signature) == .malformed)
    }

    @Test func theSignatureIsHMACSHA256OverThePurposeThreadAndExpiry() throws {
        // The same value Python's hmac module computes, so other systems can sign links too.
        let link = ShareLink(threadID: "acme-2026-11", expires: 1_800_000_000, secret: Self.secret)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", #"""
            import hmac, hashlib
            print(hmac.new(b"share-secret-0123456789abcdef", b"pilot-share-v1\nacme-2026-11\n1800000000", hashlib.sha256).hexdigest())
            """#]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(link.signature == text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
