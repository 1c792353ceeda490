import Foundation
import PilotAMQP
import PilotJSON
import PilotRuntime
import PilotStageAPI
import PilotTestKit
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@testable import PilotDelivery

/// Webhooks from a real worker to a Python receiver that checks every signature with its
/// own implementation of the Standard Webhooks spec.
@Suite(.serialized, .live) struct WebhookDeliveryTests {
    static let secret = "whsec_" + Data((0..<32).map { UInt8($0 * 7 % 256) }).base64EncodedString()

    func receiver() async throws -> PythonPeer {
        try await PythonPeer(script: "webhook_receiver.py") { port, folder in [String(port), folder.path, Self.secret] }
    }

    func worker(urls: [String], extra: [String: String] = [:]) async throws -> (WorkerProcess, VirtualHost) {
        let vhost = try await TestBroker.shared.makeVirtualHost("hook")
        let worker = try WorkerProcess(environment: [
            "PILOT_AMQP_URL": vhost.url, "PILOT_WORKSPACE": vhost.workspace.path, "PILOT_STAGES": "delivery",
            "PILOT_RETRY_DELAYS": "200ms,1s", "PILOT_WEBHOOK_URLS": urls.joined(separator: ","),
            "PILOT_WEBHOOK_SECRET": Self.secret,
        ].merging(extra) { $1 })
        try await worker.waitForLog("consuming", count: urls.count + 1)
        return (worker, vhost)
    }

    /// A `crm.update` as upstream might write it, spaces and all: the receiver must get
    /// these bytes, not a re-serialisation, or its signature check means nothing.
    static func crmUpdate(_ index: Int) -> (CloudEvent, [UInt8]) {
        let event = TestEvents.make(
            type: "crm.update", subject: "acme-2026-11", id: "crm-\(index)-\(UUID().uuidString.prefix(6))",
            data: ["status": "pilot_active", "note": .string("day \(index) é")])
        var bytes = event.document.serializedBytes()
        bytes.insert(contentsOf: Array("  ".utf8), at: 1)
        bytes += Array("\n".utf8)
        return (event, bytes)
    }

    static func deadQueue(_ url: String) -> String {
        Stage(name: DeliveryRouting.webhookStageName(url), routingKeys: []).deadQueue
    }

    /// Five events to a live receiver, one that never answers in time and one that refuses
    /// connections: the live one gets all five, signed and unchanged, while the slow one is
    /// still on its first; the dead one's copies are retried and dead-lettered on their own,
    /// each naming its URL.
    @Test func eachReceiverIsDeliveredToOnItsOwn() async throws {
        let peer = try await receiver()
        defer { peer.stop() }
        let dead = "http://127.0.0.1:\(freeLoopbackPort())/nobody"
        let (worker, vhost) = try await worker(
            urls: ["\(peer.url)/ok", "\(peer.url)/slow", dead],
            // The slow receiver holds each request until the test releases it, and the
            // worker gives a request 90 s (the heartbeat is raised to allow it): longer than
            // the wait for the live one's five, so the slow one is still on its first
            // however busy the machine is.
            extra: ["PILOT_WEBHOOK_TIMEOUT": "90", "PILOT_HEARTBEAT": "90", "PILOT_MAX_ATTEMPTS": "2"])
        defer { Task { await worker.terminate(); await vhost.delete() } }
        defer { FileManager.default.createFile(atPath: peer.folder.appendingPathComponent("release-slow").path, contents: nil) }
        let probe = try QueueProbe(url: vhost.url)
        let events = (1...5).map(Self.crmUpdate)
        for (event, bytes) in events { try probe.publishRaw(bytes, routingKey: "crm.update", messageID: event.id) }

        #expect(await eventually(timeout: .seconds(60)) { ReceivedWebhook.read(peer, path: "ok").count >= 5 }, "\(worker.log)")
        let slowSoFar = ReceivedWebhook.read(peer, path: "slow").count
        #expect(slowSoFar <= 1, "the slow receiver (held until released, 90 s timeout) had \(slowSoFar) requests while the live one got all five")
        let delivered = ReceivedWebhook.read(peer, path: "ok")
        #expect(delivered.count == 5)
        for (event, bytes) in events {
            let got = delivered.first { $0.id == event.id }
            #expect(got?.verdict == "ok", "signature checked by the receiver")
            #expect(got?.contentType == "application/cloudevents+json")
            #expect(got?.body == bytes, "the body exactly as published")
        }

        let letters = try await probe.take(5, from: Self.deadQueue(dead))
        #expect(letters.count == 5, "\(worker.log)")
        for letter in letters {
            #expect(letter.properties.header("x-webhook-url") == .string(dead))
            #expect(letter.properties.header(Header.errorReason) == .string("handler_failed"))
            #expect(letter.properties.header(Header.errorDetail)?.stringValue?.contains("Couldn't connect") == true)
        }
        #expect(try probe.depth("pilot.stage.delivery.dead") == 0)
    }

    /// 410 is dead-lettered with its status and reply; 500 and 429 are retried (429 no
    /// sooner than its Retry-After) until delivered; a redirect is not followed.
    @Test func repliesDecideBetweenRetryAndDeadLetter() async throws {
        let peer = try await receiver()
        defer { peer.stop() }
        let urls = ["gone", "flaky", "busy", "redirect"].map { "\(peer.url)/\($0)" }
        let (worker, vhost) = try await worker(urls: urls)
        defer { Task { await worker.terminate(); await vhost.delete() } }
        let probe = try QueueProbe(url: vhost.url)
        let (event, bytes) = Self.crmUpdate(1)
        try probe.publishRaw(bytes, routingKey: "crm.update", messageID: event.id)

        let gone = try await probe.take(1, from: Self.deadQueue(urls[0]))
        #expect(gone.first?.properties.header(Header.errorReason) == .string("webhook_rejected"))
        let goneDetail = gone.first?.properties.header(Header.errorDetail)?.stringValue ?? ""
        #expect(goneDetail.contains("answered 410") && goneDetail.contains("this endpoint was removed"), "\(goneDetail)")
        #expect(gone.first?.body == bytes)

        let moved = try await probe.take(1, from: Self.deadQueue(urls[3]))
        #expect(moved.first?.properties.header(Header.errorReason) == .string("webhook_redirect"))

        #expect(await eventually {
            ReceivedWebhook.read(peer, path: "flaky").last?.status == 200 && ReceivedWebhook.read(peer, path: "busy").last?.status == 200
        }, "\(worker.log)")
        let flaky = ReceivedWebhook.read(peer, path: "flaky")
        #expect(flaky.map(\.status) == [500, 500, 200])
        let busy = ReceivedWebhook.read(peer, path: "busy")
        #expect(busy.map(\.status) == [429, 429, 200])
        #expect(busy.count == 3 && busy[1].at - busy[0].at >= 0.9 && busy[2].at - busy[1].at >= 0.9, "Retry-After: 1 honoured")
        #expect(ReceivedWebhook.read(peer, path: "ok").isEmpty, "the redirect to /ok was not followed")
        #expect((flaky + busy).allSatisfy { $0.verdict == "ok" && $0.body == bytes })
    }

    /// The receiver really checks: our sender's request passes, the same request with one
    /// byte of the signature or of the body changed fails, and so does one signed ten
    /// minutes ago.
    @Test func receiverRefusesTamperedAndStaleRequests() async throws {
        let peer = try await receiver()
        defer { peer.stop() }
        let configuration = try WebhookConfiguration(urls: ["\(peer.url)/ok"], secret: Self.secret)
        let sender = WebhookSender(url: "\(peer.url)/ok", configuration: configuration)
        let body = Array(#"{"id":"x"}"#.utf8)
        #expect(try sender.post(id: "m1", body: body).status == 204)
        #expect(try sender.post(id: "m2", body: body, now: Date().addingTimeInterval(-600)).status == 401)

        let now = Int(Date().timeIntervalSince1970)
        let signature = WebhookSignature.sign(id: "m3", timestamp: now, body: body, key: configuration.key)
        var tampered = Array(signature.utf8)
        tampered[5] = tampered[5] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(await post(peer, id: "m3", timestamp: now, signature: String(decoding: tampered, as: UTF8.self), body: body) == 401)
        var changedBody = body
        changedBody[2] ^= 0x01
        #expect(await post(peer, id: "m3", timestamp: now, signature: signature, body: changedBody) == 401)
        #expect(await post(peer, id: "m3", timestamp: now, signature: signature, body: body) == 204)
        #expect(ReceivedWebhook.read(peer, path: "ok").map(\.verdict) == ["ok", "stale", "bad_signature", "bad_signature", "ok"])
    }

    /// A receiver that was down until its copy was dead-lettered gets it from
    /// `pilotctl dlq replay`, straight into its own queue: the other receivers get no copy.
    @Test func replayedDeadLetterGoesBackToItsReceiverOnly() async throws {
        let port = freeLoopbackPort()
        let down = "http://127.0.0.1:\(port)/ok"
        let other = try await receiver()
        defer { other.stop() }
        let (worker, vhost) = try await worker(urls: [down, "\(other.url)/ok"], extra: ["PILOT_MAX_ATTEMPTS": "1"])
        defer { Task { await worker.terminate(); await vhost.delete() } }
        let probe = try QueueProbe(url: vhost.url)
        let (event, bytes) = Self.crmUpdate(1)
        try probe.publishRaw(bytes, routingKey: "crm.update", messageID: event.id)
        let stage = DeliveryRouting.webhookStageName(down)
        #expect(await eventually { (try? probe.depth(Self.deadQueue(down))) == 1 }, "\(worker.log)")
        #expect(await eventually { ReceivedWebhook.read(other, path: "ok").count == 1 })

        let revived = try await PythonPeer(script: "webhook_receiver.py", port: port) { port, folder in
            [String(port), folder.path, Self.secret]
        }
        defer { revived.stop() }
        let tool = try WorkerProcess("pilotctl", arguments: ["dlq", "replay", stage], environment: [
            "PILOT_AMQP_URL": vhost.url, "PILOT_MANAGEMENT_URL": vhost.managementURL,
        ])
        #expect(try await tool.waitForExit(timeout: .seconds(60)) == 0, "\(tool.log)")
        #expect(tool.log.contains("replayed 1"), "\(tool.log)")
        await tool.terminate()
        #expect(await eventually { ReceivedWebhook.read(revived, path: "ok").count == 1 }, "\(worker.log)")
        let got = ReceivedWebhook.read(revived, path: "ok").first
        #expect(got?.verdict == "ok" && got?.body == bytes && got?.id == event.id)
        #expect(try probe.depth(Self.deadQueue(down)) == 0)
        #expect(ReceivedWebhook.read(other, path: "ok").count == 1, "no second copy for the receiver that had it")
    }

    /// A `gopher:` or `file:` receiver stops the worker at start with a clear error.
    @Test func workerRefusesNonHTTPReceivers() async throws {
        for url in ["gopher://127.0.0.1:70/_x", "file:///etc/passwd"] {
            let worker = try WorkerProcess(environment: [
                "PILOT_AMQP_URL": "amqp://guest:guest@127.0.0.1:1/%2f", "PILOT_WEBHOOK_URLS": url,
                "PILOT_WEBHOOK_SECRET": Self.secret, "PILOT_DATABASE": "none", "PILOT_HANDLER": "echo",
            ])
            let status = try await worker.waitForExit(timeout: .seconds(30))
            #expect(status != 0, "\(worker.log)")
            #expect(worker.log.contains("is not allowed; only http and https are"), "\(worker.log)")
            await worker.terminate()
        }
    }

    private func post(_ peer: PythonPeer, id: String, timestamp: Int, signature: String, body: [UInt8]) async -> Int {
        var request = URLRequest(url: URL(string: "\(peer.url)/ok")!)
        request.httpMethod = "POST"
        request.httpBody = Data(body)
        request.setValue("application/cloudevents+json", forHTTPHeaderField: "Content-Type")
        request.setValue(id, forHTTPHeaderField: "webhook-id")
        request.setValue(String(timestamp), forHTTPHeaderField: "webhook-timestamp")
        request.setValue(signature, forHTTPHeaderField: "webhook-signature")
        guard let (_, response) = try? await URLSession.shared.data(for: request) else { return 0 }
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }
}
