import Foundation
import PilotAMQP
import PilotJSON
import PilotRuntime
import PilotStageAPI
import Testing

@testable import PilotDelivery

/// Pure checks of what delivery accepts at start and at the edge: no server involved.
@Suite struct DeliveryConfigurationTests {
    static let secret = "whsec_" + Data((0..<24).map { UInt8($0) }).base64EncodedString()

    @Test func webhookURLsOtherThanHTTPAreRefusedAtStart() throws {
        for url in ["file:///etc/passwd", "gopher://127.0.0.1:70/_HELO", "ftp://example.com/x", "dict://x:2628/", "ldap://x",
                    "http://", "not a url", "https://example.com/a b"] {
            #expect(throws: ConfigurationError.self, "\(url)") {
                try WebhookConfiguration(urls: [url], secret: Self.secret)
            }
        }
        do {
            _ = try WebhookConfiguration(urls: ["http://ok.example/x", "gopher://127.0.0.1:70/_x"], secret: Self.secret)
            Issue.record("a gopher URL among good ones was accepted")
        } catch {
            #expect(error.description.contains("scheme gopher: is not allowed; only http and https are"))
        }
        let good = try WebhookConfiguration(urls: ["http://127.0.0.1:9/hook", "HTTPS://example.com/x?y=1"], secret: Self.secret)
        #expect(good.key == (0..<24).map { UInt8($0) })
    }

    @Test func webhookSecretMustBeWhsecBase64() {
        for secret in ["", "abc", "whsec_", "whsec_!!!not-base64", "whsec_" + Data([1, 2, 3]).base64EncodedString()] {
            #expect(throws: ConfigurationError.self, "\(secret)") { try WebhookConfiguration(urls: ["http://x/"], secret: secret) }
        }
        #expect(throws: ConfigurationError.self) { try WebhookConfiguration(urls: ["http://x/"], secret: nil) }
    }

    @Test func signatureFollowsStandardWebhooks() {
        // The specification's own example: secret, id, timestamp and body from its test vectors.
        let key = Array(Data(base64Encoded: "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")!)
        let body = Array(#"{"test": 2432232314}"#.utf8)
        let signature = WebhookSignature.sign(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1614265330, body: body, key: key)
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    @Test func envelopeAddressesCarryNothingButOneAddress() {
        #expect(MailAddressCheck.problem(with: "dana.whitfield@acme-analytics.com") == nil)
        for bad in ["dana@acme.com\r\nRCPT TO:<evil@x.com>", "dana@acme.com\nBcc: evil@x.com", "<dana@acme.com>",
                    "dana@acme.com>,<evil@x.com", "dana@acme.com, evil@x.com", "dana", "@acme.com", "dana@", "a@b@c",
                    "dana @acme.com", "dana@acme.com\u{0}"] {
            #expect(MailAddressCheck.problem(with: bad) != nil, "\(bad)")
        }
    }

    @Test func smtpSettingsAreCheckedAndTLSDefaultsToRequire() throws {
        let remote = try SMTPConfiguration(url: "smtp://mail.example.com:587", tls: nil, user: "u", password: "p", from: "pilot@example.com")
        #expect(remote.tls == .require)
        #expect(!remote.description.contains("p)") && remote.description.contains("***"))
        let local = try SMTPConfiguration(url: "smtp://127.0.0.1:2525", tls: nil, user: nil, password: nil, from: "pilot@example.com")
        #expect(local.tls == .opportunistic)
        // A name that merely starts like a loopback address is a remote server.
        for host in ["127.relay.example.com", "127.0.0.1.example.com", "127.0.0"] {
            let named = try SMTPConfiguration(url: "smtp://\(host):25", tls: nil, user: nil, password: nil, from: "pilot@example.com")
            #expect(named.tls == .require, "\(host)")
        }
        let cases: [(String, String?, String?, String?, String?)] = [
            ("http://mail.example.com", nil, nil, nil, "a@b.c"),  // not SMTP
            ("smtp://user:secret@mail.example.com", nil, nil, nil, "a@b.c"),  // credentials in the URL
            ("smtp://mail.example.com", "sometimes", nil, nil, "a@b.c"),
            ("smtps://mail.example.com", "off", nil, nil, "a@b.c"),
            ("smtp://mail.example.com", nil, "user", nil, "a@b.c"),
            ("smtp://mail.example.com", nil, nil, nil, nil),
            ("smtp://mail.example.com", nil, nil, nil, "pilot@example.com\r\nRCPT TO:<x@y.z>"),
        ]
        for (url, tls, user, password, from) in cases {
            #expect(throws: ConfigurationError.self, "\(url) \(String(describing: tls)) \(String(describing: from))") {
                try SMTPConfiguration(url: url, tls: tls, user: user, password: password, from: from)
            }
        }
        do {
            _ = try SMTPConfiguration(url: "smtp://user:hunter2@mail.example.com", tls: nil, user: nil, password: nil, from: "a@b.c")
        } catch {
            #expect(!error.description.contains("hunter2"))
        }
    }

    @Test func retryAfterReadsSecondsAndDates() {
        #expect(RetryAfter.parse("7") == .seconds(7))
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(RetryAfter.parse("Tue, 14 Nov 2023 22:13:40 GMT", now: now) == .seconds(20))
        #expect(RetryAfter.parse("soon") == nil)
        #expect(RetryAfter.parse("-3") == nil)
        var policy = FailurePolicy()
        policy.retryDelays = [.seconds(1), .seconds(10), .seconds(60)]
        #expect(policy.retryDelay(atLeast: .seconds(5)) == .seconds(10))
        #expect(policy.retryDelay(atLeast: .seconds(3600)) == .seconds(60))
    }

    @Test func nothingConfiguredMeansNoDeliveryQueue() {
        let none = DeliveryRouting(environment: [:])
        #expect(none.stages.isEmpty)
        let topology = Topology(stages: Stage.all + none.stages)
        #expect(!topology.queues.contains { $0.hasPrefix("pilot.stage.delivery") })
        #expect(!topology.objects.bindings.contains { $0.routingKey == "email.send" })
    }

    @Test func deliveryQueuesAndBindingsFollowConfiguration() {
        let mailOnly = DeliveryRouting(environment: ["PILOT_SMTP_URL": "smtp://127.0.0.1:25"])
        #expect(mailOnly.stages.map(\.routingKeys) == [["email.send"]])

        let routing = DeliveryRouting(environment: [
            "PILOT_SMTP_URL": "smtp://127.0.0.1:25", "PILOT_WEBHOOK_URLS": "http://a.example/h, http://b.example/h",
        ])
        #expect(routing.stages.count == 3)
        let topology = Topology(stages: Stage.all + routing.stages)
        let bound = topology.objects.bindings.filter { $0.queue == "pilot.stage.delivery" }.map(\.routingKey)
        #expect(bound == ["email.send"] + DeliveryRouting.defaultWebhookEvents)
        for stage in routing.webhookStages {
            #expect(stage.queue.hasPrefix("pilot.stage.delivery.webhook-"))
            #expect(topology.queues.contains(stage.queue) && topology.queues.contains(stage.deadQueue))
            #expect(!topology.objects.bindings.contains { $0.queue == stage.queue }, "receiver queues are fed by the delivery stage only")
            #expect(!stage.usesStore)
        }
        #expect(routing.webhookStages[0].name != routing.webhookStages[1].name)
        #expect(DeliveryRouting.webhookStageName("http://a.example/h") == routing.webhookStages[0].name, "stable")
        #expect(topology.policies.contains { $0.name == "pilot-stage-delivery" })
    }
}
