import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PilotAMQP
import PilotJSON
import PilotRuntime
import PilotStageAPI
import PilotTestKit
import Testing

/// The whole of issue 14 in one pilot, driven as the outside world would: a 14-day pilot
/// with 1-second days is signed through a DocuSign Connect notification posted to
/// `pilot-web`, sends its kickoff invite, both weekly reports and its results mail through
/// a real SMTP server (aiosmtpd), and reaches a webhook receiver, whose own Python code
/// checks every signature, with each CRM update and the outcome.
@Suite(.serialized, .live) struct EndToEndDeliveryTests {
    static let token = "e2e-token-0123456789abcdef"
    static let docusignKey = "e2e-docusign-connect-key"

    @Test func aPilotSignedThroughDocuSignIsDeliveredByMailAndWebhooks() async throws {
        let smtp = try await PythonPeer(script: "smtp_server.py") { port, folder in [String(port), folder.path] }
        defer { smtp.stop() }
        let hooks = try await PythonPeer(script: "webhook_receiver.py") { port, folder in
            [String(port), folder.path, WebhookDeliveryTests.secret]
        }
        defer { hooks.stop() }
        let vhost = try await TestBroker.shared.makeVirtualHost("e2e")
        let thread = "e2e-\(UUID().uuidString.prefix(8).lowercased())"
        let sales = vhost.workspace.appendingPathComponent("threads/sales/\(thread)")

        let worker = try WorkerProcess(environment: [
            "PILOT_AMQP_URL": vhost.url, "PILOT_WORKSPACE": vhost.workspace.path, "PILOT_DAY_SECONDS": "1",
            // The signature comes through pilot-web later on; the offer must not lapse first on a busy machine.
            "PILOT_SIGNATURE_EXPIRY_DAYS": "60",
            "PILOT_RETRY_DELAYS": "200ms,1s", "PILOT_SMTP_URL": "smtp://127.0.0.1:\(smtp.port)",
            "PILOT_MAIL_FROM": "pilots@pilot-worker.dev", "PILOT_WEBHOOK_URLS": "\(hooks.url)/ok",
            "PILOT_WEBHOOK_SECRET": WebhookDeliveryTests.secret,
        ])
        let webPort = freeLoopbackPort()
        let web = try WorkerProcess("pilot-web", environment: [
            "PILOT_WEB_HOST": "127.0.0.1", "PILOT_WEB_PORT": String(webPort), "PILOT_WEB_TOKEN": Self.token,
            "PILOT_DOCUSIGN_HMAC_KEY": Self.docusignKey, "PILOT_AMQP_URL": vhost.url,
            "PILOT_SCHEMAS": packageRoot.appendingPathComponent("schemas").path,
        ])
        defer { Task { await worker.terminate(); await web.terminate(); await vhost.delete() } }
        // Five stages, delivery, and the receiver's own queue.
        try await worker.waitForLog("consuming", count: 7)
        try await HTTPProbe.waitFor("http://127.0.0.1:\(webPort)/readyz", status: 200)

        let probe = try QueueProbe(url: vhost.url)
        try probe.tap("tap.e2e.kickoff", routingKeys: ["pilot.kickoff.scheduled"])
        var data = TestEvents.sampleRequest.object!
        var terms = data["terms"]!.object!
        terms["duration_days"] = 14
        data["terms"] = .object(terms)
        try probe.publish(TestEvents.make(type: "pilot.requested", subject: thread, id: "req-\(thread)", data: .object(data)))
        _ = try await probe.take(1, from: "tap.e2e.kickoff", timeout: .seconds(60))

        // The lead signs in DocuSign; Connect posts the envelope, signed with our key.
        let notification = Self.completedEnvelope(thread: thread)
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(webPort)/webhooks/docusign")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(try Self.docusignSignature(notification), forHTTPHeaderField: "X-DocuSign-Signature-1")
        request.httpBody = Data(notification)
        let (reply, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200, "\(String(decoding: reply, as: UTF8.self))")

        // The lead's systems report every day.
        let metrics = try JSONValue(parsing: Array(Data(contentsOf: packageRoot.appendingPathComponent("examples/pilot.metrics.json"))))["data"]!
        try probe.publish((1...14).map { day in
            var object = metrics.object!
            object["day"] = .int(Int64(day))
            return TestEvents.make(type: "pilot.metrics", subject: thread, id: "m-\(thread)-\(day)", data: .object(object))
        })

        // The outcome reaches the receiver; then every mail must have gone out.
        try await waitUntil("pilot.completed at the webhook receiver", timeout: .seconds(120)) {
            Self.delivered(hooks).contains { $0["type"] == "pilot.completed" && $0["subject"] == .string(thread) }
        }
        let mails = ["kickoff-invite.eml", "progress-week-1.eml", "progress-week-2.eml", "results-email.eml"]
        try await waitUntil("the four mails at the SMTP server", timeout: .seconds(60)) {
            let arrived = Self.received(smtp)
            return mails.allSatisfy { name in
                guard let written = try? Data(contentsOf: sales.appendingPathComponent(name)) else { return false }
                return arrived.contains(written)
            }
        }

        // Every webhook the receiver took carried a valid signature over the bytes it got,
        // and each CRM update and the outcome came exactly once.
        let records = ReceivedWebhook.read(hooks, path: "ok")
        #expect(!records.isEmpty && records.allSatisfy { $0.verdict == "ok" }, "\(records.map(\.verdict))")
        let events = Self.delivered(hooks).filter { $0["subject"] == .string(thread) }
        let statuses = events.filter { $0["type"] == "crm.update" }.compactMap { $0["data"]?["status"]?.string }
        #expect(statuses.first == "agreement_sent" && statuses.contains("kickoff_scheduled") && statuses.contains("pilot_active"), "\(statuses)")
        #expect(statuses.contains("pilot_completed") || statuses.contains("deal_lost"), "\(statuses)")
        #expect(events.filter { $0["type"] == "pilot.completed" }.count == 1)
        let ids = events.compactMap { $0["id"]?.string }
        #expect(Set(ids).count == ids.count, "no event delivered twice")
        #expect(try probe.depth("pilot.stage.delivery.dead") == 0)
    }

    /// The events the receiver accepted, parsed.
    static func delivered(_ hooks: PythonPeer) -> [JSONValue] {
        ReceivedWebhook.read(hooks, path: "ok").filter { $0.verdict == "ok" }.compactMap { try? JSONValue(parsing: $0.body) }
    }

    /// Every message the SMTP server accepted, as received.
    static func received(_ smtp: PythonPeer) -> [Data] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: smtp.folder.path)) ?? []
        return names.filter { $0.hasSuffix(".eml") }.compactMap { try? Data(contentsOf: smtp.folder.appendingPathComponent($0)) }
    }

    /// A DocuSign Connect (JSON, v2.1) `envelope-completed` for the thread.
    static func completedEnvelope(thread: String) -> [UInt8] {
        let document: JSONValue = [
            "event": "envelope-completed", "apiVersion": "v2.1", "retryCount": 0,
            "generatedDateTime": "2026-11-29T12:00:00.0000000Z",
            "data": [
                "accountId": "1", "envelopeId": .string("env-\(thread)"),
                "envelopeSummary": [
                    "status": "completed", "completedDateTime": "2026-11-28T14:59:58.5530000Z",
                    "recipients": ["signers": [["name": "Laura Chen", "email": "laura.chen@acme-analytics.com", "routingOrder": "1", "status": "completed"]]],
                    "customFields": ["textCustomFields": [
                        ["name": "thread_id", "value": .string(thread)], ["name": "start_date", "value": "2026-12-01"],
                    ]],
                ],
            ],
        ]
        return document.serializedBytes()
    }

    /// What DocuSign sends in `X-DocuSign-Signature-1`, computed by Python's hmac.
    static func docusignSignature(_ body: [UInt8]) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-envelope-\(UUID().uuidString)")
        try Data(body).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = packageRoot.appendingPathComponent("Tests/PilotWebTests/python/docusign_sign.py").path
        return try shell(["python3", script, docusignKey, file.path]).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
