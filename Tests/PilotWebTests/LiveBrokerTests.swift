import Foundation
import Hummingbird
import HummingbirdTesting
import PilotAMQP
import PilotJSON
import PilotRuntime
import PilotStageAPI
import PilotTestKit
import Testing
@testable import PilotWeb

/// pilot-web against a real RabbitMQ (a virtual host of the shared test broker each):
/// what it answers, and what a queue bound to `pilot.events` then holds.
@Suite(.serialized, .live) struct LiveBrokerTests {
    static let tap = "tap.web"
    static let types = ["pilot.signed", "pilot.declined"]

    /// `tapped: false` leaves the virtual host without the tap and the workers' queues.
    func withWorld(
        maxBodyBytes: Int = 4096, keys: [String] = [Fixtures.key], tapped: Bool = true, publishers: Int = 2,
        _ body: @Sendable @escaping (any TestClientProtocol, QueueProbe) async throws -> Void
    ) async throws {
        let vhost = try await TestBroker.shared.makeVirtualHost("web")
        defer { Task { await vhost.delete() } }
        let probe = try QueueProbe(url: vhost.url)
        if tapped { try probe.tap(Self.tap, routingKeys: Self.types) }
        let app = try Fixtures.app(amqpURL: vhost.url, maxBodyBytes: maxBodyBytes, keys: keys, publishers: publishers)
        nonisolated(unsafe) let probeRef = probe
        try await app.test(.live) { client in
            try await waitUntilReady(client)
            try await body(client, probeRef)
        }
    }

    func waitUntilReady(_ client: any TestClientProtocol) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while try await client.execute(uri: "/readyz", method: .get).status != .ok {
            guard ContinuousClock.now < deadline else {
                Issue.record("pilot-web never became ready")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    func postDocuSign(_ client: any TestClientProtocol, _ body: [UInt8], signatures: [(String, String)]) async throws -> TestResponse {
        let headers = Fixtures.headers([("Content-Type", "application/json")] + signatures)
        return try await client.execute(uri: "/webhooks/docusign", method: .post, headers: headers, body: ByteBuffer(bytes: body))
    }

    /// Nothing more arrives on the tap: a marker published after the requests under test
    /// is the next message, so whatever they might have published would be ahead of it.
    func expectNothingPublished(_ probe: QueueProbe, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let marker = TestEvents.make(type: "pilot.declined", subject: "marker", id: "marker-\(UUID().uuidString)")
        try probe.publish(marker)
        let next = try await probe.take(1, from: Self.tap)
        #expect(next.first?.properties.messageID == marker.id, sourceLocation: sourceLocation)
    }

    @Test func anAcceptedEventIsOnTheExchangeWithTheWorkersProperties() async throws {
        try await withWorld { client, probe in
            let event = Fixtures.signedEvent(id: "evt-web-1")
            let response = try await client.execute(
                uri: "/events", method: .post, headers: Fixtures.eventHeaders, body: ByteBuffer(bytes: event.serializedBytes()))
            #expect(response.status == .accepted)
            #expect(response.json == ["id": "evt-web-1"])
            let taken = try await probe.take(1, from: Self.tap)
            try #require(taken.count == 1)
            let message = taken[0]
            #expect(message.exchange == "pilot.events")
            #expect(message.routingKey == "pilot.signed")
            #expect(message.properties.contentType == "application/cloudevents+json")
            #expect(message.properties.persistent)
            #expect(message.properties.messageID == "evt-web-1")
            #expect(message.properties.type == "pilot.signed")
            #expect(message.properties.correlationID == "acme-2026-11")
            #expect(try JSONValue(parsing: message.body) == event)

            #expect(message.body == event.serializedBytes())

            // The same id again is accepted and published again: the workers' inboxes dedupe.
            // Its body goes out byte for byte as it came, white space and all.
            let spaced = Array("\n  ".utf8) + event.serializedBytes() + Array(" \n".utf8)
            let again = try await client.execute(uri: "/events", method: .post, headers: Fixtures.eventHeaders, body: ByteBuffer(bytes: spaced))
            #expect(again.status == .accepted)
            let second = try await probe.take(1, from: Self.tap).first
            #expect(second?.properties.messageID == "evt-web-1")
            #expect(second?.body == spaced)
        }
    }

    /// An event a stage takes must reach a queue: on a broker without the workers' queues it
    /// would be confirmed and dropped, and its sender, told 202, would never send it again.
    @Test func anEventNoQueueTakesIs503AndAcceptedOnceAQueueTakesIt() async throws {
        // One publisher, so the request after the return goes to the connection that had it.
        try await withWorld(maxBodyBytes: 16384, tapped: false, publishers: 1) { client, probe in
            let request = TestEvents.request(id: "evt-no-queue").document.serializedBytes()
            let refused = try await client.execute(uri: "/events", method: .post, headers: Fixtures.eventHeaders, body: ByteBuffer(bytes: request))
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.json?["error"] == "not_published")
            #expect(refused.json?["message"]?.string?.contains("queues for pilot.requested are not declared") == true)
            // The connection stays: the same event, once the workers' queues and a tap take
            // its type, is accepted at once.
            try probe.tap("tap.requested", routingKeys: ["pilot.requested"])
            let accepted = try await client.execute(uri: "/events", method: .post, headers: Fixtures.eventHeaders, body: ByteBuffer(bytes: request))
            #expect(accepted.status == .accepted)
            #expect(try await probe.take(1, from: "tap.requested").first?.properties.messageID == "evt-no-queue")
            // A type no stage takes may have no queue (crm.update without a CRM): accepted as before.
            let update = TestEvents.make(type: "crm.update", id: "evt-crm", data: ["status": "agreement_sent", "note": "n"])
            let crm = try await client.execute(
                uri: "/events", method: .post, headers: Fixtures.eventHeaders, body: ByteBuffer(bytes: update.document.serializedBytes()))
            #expect(crm.status == .accepted)
        }
    }

    @Test func refusedEventsPublishNothing() async throws {
        try await withWorld(maxBodyBytes: 2048) { client, probe in
            let event = Fixtures.signedEvent()
            var noToken = Fixtures.eventHeaders
            noToken[.authorization] = nil
            var textPlain = Fixtures.eventHeaders
            textPlain[.contentType] = "text/plain"
            let padded = Array(repeating: UInt8(ascii: " "), count: 4000) + event.serializedBytes()
            let notAnEvent = Array(#"{"specversion": "1.0", "type": "pilot.signed"}"#.utf8)
            let cases: [(HTTPFields, [UInt8], HTTPResponse.Status)] = [
                (noToken, event.serializedBytes(), .unauthorized),
                (textPlain, event.serializedBytes(), .unsupportedMediaType),
                (Fixtures.eventHeaders, padded, .contentTooLarge),
                (Fixtures.eventHeaders, notAnEvent, .badRequest),
            ]
            for (headers, bytes, status) in cases {
                let response = try await client.execute(uri: "/events", method: .post, headers: headers, body: ByteBuffer(bytes: bytes))
                #expect(response.status == status)
            }
            try await expectNothingPublished(probe)
        }
    }

    @Test func aCompletedEnvelopeSignsThePilot() async throws {
        try await withWorld { client, probe in
            let notification = Fixtures.notification()
            let response = try await postDocuSign(
                client, notification, signatures: [("X-DocuSign-Signature-1", try Fixtures.pythonSignature(notification, key: Fixtures.key))])
            #expect(response.status == .ok)
            let taken = try await probe.take(1, from: Self.tap)
            try #require(taken.count == 1)
            let event = try CloudEvent(document: JSONValue(parsing: taken[0].body))
            #expect(event.type == "pilot.signed")
            #expect(event.subject == "acme-2026-11")
            #expect(event.data["signed_by"]?["email"] == "dana@acme.example")
            #expect(event.data["method"] == "docusign")
            #expect(taken[0].properties.messageID == event.id)
            #expect(taken[0].properties.correlationID == "acme-2026-11")
            #expect(response.json?["id"]?.string == event.id)
        }
    }

    @Test func declinedAndVoidedEnvelopesDeclineThePilot() async throws {
        try await withWorld { client, probe in
            let declined = Fixtures.notification(event: "envelope-declined", declinedReason: "Budget frozen until April.")
            let voided = Fixtures.notification(event: "envelope-voided", voidedReason: "Sent to the wrong person")
            for body in [declined, voided] {
                let response = try await postDocuSign(
                    client, body, signatures: [("X-DocuSign-Signature-1", try Fixtures.pythonSignature(body, key: Fixtures.key))])
                #expect(response.status == .ok)
            }
            let taken = try await probe.take(2, from: Self.tap)
            try #require(taken.count == 2)
            let reasons = try taken.map { try JSONValue(parsing: $0.body)["data"]?["reason"]?.string }
            #expect(reasons == ["Budget frozen until April.", "Sent to the wrong person"])
            #expect(taken.allSatisfy { $0.routingKey == "pilot.declined" })
        }
    }

    @Test func aWrongSignaturePublishesNothing() async throws {
        try await withWorld { client, probe in
            let notification = Fixtures.notification()
            var signature = Array(try Fixtures.pythonSignature(notification, key: Fixtures.key).utf8)
            signature[0] = signature[0] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            let response = try await postDocuSign(
                client, notification, signatures: [("X-DocuSign-Signature-1", String(decoding: signature, as: UTF8.self))])
            #expect(response.status == .unauthorized)
            var body = notification
            body[10] ^= 0x01
            let tampered = try await postDocuSign(
                client, body, signatures: [("X-DocuSign-Signature-1", try Fixtures.pythonSignature(notification, key: Fixtures.key))])
            #expect(tampered.status == .unauthorized)
            try await expectNothingPublished(probe)
        }
    }

    @Test func aSignatureFromARotatedKeyIsAccepted() async throws {
        try await withWorld(keys: [Fixtures.key, Fixtures.rotatedKey]) { client, probe in
            let notification = Fixtures.notification()
            // DocuSign signs with every active key; ours may know only the older one.
            let response = try await postDocuSign(client, notification, signatures: [
                ("X-DocuSign-Signature-1", try Fixtures.pythonSignature(notification, key: "a-newer-key-we-do-not-have-yet")),
                ("X-DocuSign-Signature-2", try Fixtures.pythonSignature(notification, key: Fixtures.rotatedKey)),
            ])
            #expect(response.status == .ok)
            #expect(try await probe.take(1, from: Self.tap).count == 1)
        }
    }

    @Test func aRetriedNotificationPublishesTheSameEventID() async throws {
        try await withWorld { client, probe in
            let notification = Fixtures.notification(envelopeID: "retry-\(UUID().uuidString)")
            let signature = try Fixtures.pythonSignature(notification, key: Fixtures.key)
            for _ in 0..<2 {
                let response = try await postDocuSign(client, notification, signatures: [("X-DocuSign-Signature-1", signature)])
                #expect(response.status == .ok)
            }
            let taken = try await probe.take(2, from: Self.tap)
            try #require(taken.count == 2)
            #expect(taken[0].properties.messageID == taken[1].properties.messageID)
            #expect(taken[0].body == taken[1].body)
        }
    }

    @Test func otherNotificationsAreIgnoredWith200() async throws {
        try await withWorld { client, probe in
            let notification = Fixtures.notification(event: "recipient-delivered")
            let response = try await postDocuSign(
                client, notification, signatures: [("X-DocuSign-Signature-1", try Fixtures.pythonSignature(notification, key: Fixtures.key))])
            #expect(response.status == .ok)
            #expect(response.json?["ignored"] == "recipient-delivered")
            let unusable = Fixtures.notification(thread: nil)
            let refused = try await postDocuSign(
                client, unusable, signatures: [("X-DocuSign-Signature-1", try Fixtures.pythonSignature(unusable, key: Fixtures.key))])
            #expect(refused.status == .unprocessableContent)
            try await expectNothingPublished(probe)
        }
    }
}
