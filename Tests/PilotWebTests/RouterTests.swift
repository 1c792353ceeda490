import Foundation
import Hummingbird
import HummingbirdTesting
import PilotJSON
import PilotTestKit
import Testing
@testable import PilotWeb

/// The HTTP edge in-process, with no broker behind it: every refusal happens before
/// anything would be published, and a valid request finds no broker and gets 503.
@Suite struct RouterTests {
    func body(_ value: JSONValue) -> ByteBuffer { ByteBuffer(bytes: value.serializedBytes()) }

    func expectSecurityHeaders(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.headers[.xContentTypeOptions] == "nosniff", sourceLocation: sourceLocation)
        #expect(response.headers[HTTPFields.Element.Name("Referrer-Policy")!] == "no-referrer", sourceLocation: sourceLocation)
        #expect(response.headers[.contentSecurityPolicy]?.hasPrefix("default-src 'none'") == true, sourceLocation: sourceLocation)
    }

    @Test func eventsWithoutAValidTokenGet401() async throws {
        try await Fixtures.app().test(.live) { client in
            for authorization in [nil, "Bearer wrong-token-0123456789", "Basic \(Fixtures.token)", "Bearer \(Fixtures.token)x"] {
                var headers = Fixtures.headers([("Content-Type", "application/json")])
                if let authorization { headers[.authorization] = authorization }
                let response = try await client.execute(uri: "/events", method: .post, headers: headers, body: body(Fixtures.signedEvent()))
                #expect(response.status == .unauthorized, "\(authorization ?? "none")")
                #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                #expect(response.json?["error"] == "unauthorized")
                expectSecurityHeaders(response)
            }
        }
    }

    @Test func eventsAreClosedWhenNoTokenIsConfigured() async throws {
        let configuration = try WebConfiguration(
            host: "127.0.0.1", port: String(freeLoopbackPort()), docuSignHMACKeys: Fixtures.key, amqpURL: Fixtures.nowhere)
        let app = PilotWebApplication.make(configuration: configuration, contracts: TestEvents.contracts, logger: Fixtures.logger)
        try await app.test(.live) { client in
            for authorization in ["Bearer ", "Bearer", ""] {
                let headers = Fixtures.headers([("Authorization", authorization), ("Content-Type", "application/json")])
                let response = try await client.execute(uri: "/events", method: .post, headers: headers, body: body(Fixtures.signedEvent()))
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test func aContentTypeThatIsNotJSONGets415() async throws {
        try await Fixtures.app().test(.live) { client in
            for contentType in [nil, "text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1"] {
                var headers = Fixtures.headers([("Authorization", "Bearer \(Fixtures.token)")])
                if let contentType { headers[.contentType] = contentType }
                let response = try await client.execute(uri: "/events", method: .post, headers: headers, body: body(Fixtures.signedEvent()))
                #expect(response.status == .unsupportedMediaType, "\(contentType ?? "none")")
                #expect(response.json?["error"] == "unsupported_content_type")
                expectSecurityHeaders(response)
            }
        }
    }

    @Test func aBodyOverTheLimitGets413() async throws {
        try await Fixtures.app(maxBodyBytes: 2048).test(.live) { client in
            let big = ByteBuffer(bytes: Array(repeating: UInt8(ascii: " "), count: 3000) + Fixtures.signedEvent().serializedBytes())
            // Announced by Content-Length: refused unread.
            var headers = Fixtures.eventHeaders
            headers[.contentLength] = String(big.readableBytes)
            let announced = try await client.execute(uri: "/events", method: .post, headers: headers, body: big)
            #expect(announced.status == .contentTooLarge)
            #expect(announced.json?["error"] == "too_large")
            expectSecurityHeaders(announced)
            // Chunked, no length given: refused once the limit is passed.
            var chunked = Fixtures.eventHeaders
            chunked[.transferEncoding] = "chunked"
            let streamed = try await client.execute(uri: "/events", method: .post, headers: chunked, body: big)
            #expect(streamed.status == .contentTooLarge)
        }
    }

    @Test func bodiesThatAreNotEventsGet400WithTheErrors() async throws {
        var broken = Fixtures.signedEvent().object!
        var data = broken["data"]!.object!
        data["method"] = "fax"
        data["start_date"] = "soon"
        broken["data"] = .object(data)
        let brokenEvent = JSONValue.object(broken)
        let cases: [(String, [UInt8], String)] = [
            ("not JSON", Array("{\"id\": ".utf8), "malformed_json"),
            ("repeated key", Array(#"{"id": "a", "id": "b"}"#.utf8), "malformed_json"),
            ("not an object", Array("[1, 2]".utf8), "invalid_envelope"),
            ("no envelope", Array(#"{"hello": "world"}"#.utf8), "invalid_envelope"),
            ("unknown type", TestEvents.make(type: "pilot.unheard_of").document.serializedBytes(), "unknown_type"),
            ("schema", brokenEvent.serializedBytes(), "schema_violation"),
            // The type's schema includes the envelope's, so a bad subject is its violation.
            ("thread id", Fixtures.signedEvent(subject: "a..b").serializedBytes(), "schema_violation"),
        ]
        try await Fixtures.app().test(.live) { client in
            for (name, bytes, code) in cases {
                let response = try await client.execute(
                    uri: "/events", method: .post, headers: Fixtures.eventHeaders, body: ByteBuffer(bytes: bytes))
                #expect(response.status == .badRequest, "\(name)")
                #expect(response.json?["error"]?.string == code, "\(name): \(String(buffer: response.body))")
                #expect((response.json?["errors"]?.array?.count ?? 0) >= 1, "\(name)")
            }
            let response = try await client.execute(
                uri: "/events", method: .post, headers: Fixtures.eventHeaders, body: ByteBuffer(bytes: brokenEvent.serializedBytes()))
            let paths = Set(response.json?["errors"]?.array?.compactMap { $0["path"]?.string } ?? [])
            #expect(paths.isSuperset(of: ["/data/method", "/data/start_date"]), "\(paths)")
        }
    }

    @Test func aValidEventWithNoBrokerGets503AndReadyzSaysWhy() async throws {
        try await Fixtures.app().test(.live) { client in
            let response = try await client.execute(
                uri: "/events", method: .post, headers: Fixtures.eventHeaders, body: body(Fixtures.signedEvent()))
            #expect(response.status == .serviceUnavailable)
            #expect(response.json?["error"] == "not_published")
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .serviceUnavailable)
            #expect(ready.json?["ready"] == false)
            #expect(ready.json?["reason"]?.string?.isEmpty == false)
            let healthy = try await client.execute(uri: "/healthz", method: .get)
            #expect(healthy.status == .ok)
            expectSecurityHeaders(healthy)
        }
    }

    @Test func docuSignWithoutAValidSignatureGets401() async throws {
        let notification = Fixtures.notification()
        let good = try Fixtures.pythonSignature(notification, key: Fixtures.key)
        var flipped = notification
        flipped[flipped.count / 2] ^= 0x01
        let tampered = flipped
        try await Fixtures.app().test(.live) { client in
            let cases: [(String, [UInt8], [(String, String)])] = [
                ("no signature", notification, []),
                ("wrong key", notification, [("X-DocuSign-Signature-1", try Fixtures.pythonSignature(notification, key: "another-key"))]),
                ("body one byte off", tampered, [("X-DocuSign-Signature-1", good)]),
                ("not base64", notification, [("X-DocuSign-Signature-1", "%%%")]),
                ("only as header 2 without 1", notification, [("X-DocuSign-Signature-2", good)]),
            ]
            for (name, bytes, signatures) in cases {
                let headers = Fixtures.headers([("Content-Type", "application/json")] + signatures)
                let response = try await client.execute(
                    uri: "/webhooks/docusign", method: .post, headers: headers, body: ByteBuffer(bytes: bytes))
                #expect(response.status == .unauthorized, "\(name)")
                #expect(response.json?["error"] == "bad_signature", "\(name)")
                expectSecurityHeaders(response)
            }
        }
    }

    @Test func docuSignRefusesAWrongContentTypeAndAnOversizeBody() async throws {
        let notification = Fixtures.notification()
        let big = notification + Array(repeating: UInt8(ascii: " "), count: 5000)
        try await Fixtures.app().test(.live) { client in
            let form = try await client.execute(
                uri: "/webhooks/docusign", method: .post,
                headers: Fixtures.headers([
                    ("Content-Type", "application/xml"),
                    ("X-DocuSign-Signature-1", try Fixtures.pythonSignature(notification, key: Fixtures.key)),
                ]),
                body: ByteBuffer(bytes: notification))
            #expect(form.status == .unsupportedMediaType)
            // Without the key's signature, 401 whatever else is wrong: nothing is said first.
            for signatures in [[], [("X-DocuSign-Signature-1", try Fixtures.pythonSignature(notification, key: "wrong"))]] {
                let unsigned = try await client.execute(
                    uri: "/webhooks/docusign", method: .post,
                    headers: Fixtures.headers([("Content-Type", "application/xml")] + signatures),
                    body: ByteBuffer(bytes: notification))
                #expect(unsigned.status == .unauthorized, "\(signatures.count) signatures")
            }
            let oversize = try await client.execute(
                uri: "/webhooks/docusign", method: .post,
                headers: Fixtures.headers([
                    ("Content-Type", "application/json"),
                    ("X-DocuSign-Signature-1", try Fixtures.pythonSignature(big, key: Fixtures.key)),
                ]),
                body: ByteBuffer(bytes: big))
            #expect(oversize.status == .contentTooLarge)
        }
    }

    @Test func docuSignIsClosedWhenNoKeyIsConfigured() async throws {
        let notification = Fixtures.notification()
        try await Fixtures.app(keys: []).test(.live) { client in
            let headers = Fixtures.headers([
                ("Content-Type", "application/json"), ("X-DocuSign-Signature-1", try Fixtures.pythonSignature(notification, key: "")),
            ])
            let response = try await client.execute(
                uri: "/webhooks/docusign", method: .post, headers: headers, body: ByteBuffer(bytes: notification))
            #expect(response.status == .unauthorized)
        }
    }

    @Test func unknownRoutesGet404WithTheSameHeaders() async throws {
        try await Fixtures.app().test(.live) { client in
            let response = try await client.execute(uri: "/nope", method: .get)
            #expect(response.status == .notFound)
            expectSecurityHeaders(response)
            let wrongMethod = try await client.execute(uri: "/events", method: .get)
            #expect(wrongMethod.status == .notFound)
        }
    }
}
