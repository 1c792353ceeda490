import Foundation
import Logging
import PilotAMQP
import PilotJSON
import PilotRuntime
import PilotStageAPI
import Testing

@testable import PilotDelivery

/// The delivery handler's own checks, through the runtime's failure policy but without
/// schemas, so they are what stops a bad value even if a contract let it through. Nothing
/// here reaches a server: the SMTP URL points at a port nobody listens on, and every case
/// is refused before a connection would be made.
@Suite struct DeliveryHandlerTests {
    let workspace: URL
    let processor: DeliveryProcessor

    init() throws {
        workspace = FileManager.default.temporaryDirectory.appendingPathComponent("pilot-delivery-\(UUID().uuidString.prefix(8))")
        let thread = workspace.appendingPathComponent("threads/sales/acme-2026-11")
        try FileManager.default.createDirectory(at: thread, withIntermediateDirectories: true)
        let other = workspace.appendingPathComponent("threads/sales/other-2026-01")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        try Data("Message-ID: <y@pilot-worker>\r\n\r\nanother pilot's\r\n".utf8).write(to: other.appendingPathComponent("kickoff-invite.eml"))
        try Data("Message-ID: <x@pilot-worker>\r\n\r\nhello\r\n".utf8).write(to: thread.appendingPathComponent("kickoff-invite.eml"))
        try Data("secret".utf8).write(to: workspace.appendingPathComponent("outside.txt"))
        try FileManager.default.createSymbolicLink(
            at: thread.appendingPathComponent("link.eml"), withDestinationURL: URL(fileURLWithPath: "/etc/hostname"))
        let smtp = try SMTPConfiguration(url: "smtp://127.0.0.1:9", tls: "off", user: nil, password: nil, from: "pilot@example.com")
        let webhooks = try WebhookConfiguration(urls: ["http://127.0.0.1:9/a"], secret: DeliveryConfigurationTests.secret)
        let delivery = try Delivery(smtp: smtp, webhooks: webhooks, documents: Workspace(root: workspace))
        processor = DeliveryProcessor(stage: delivery.stages[0], definition: delivery.definition(for: delivery.stages[0])!)
    }

    func process(_ data: JSONValue, type: String = "email.send") -> DeliveryProcessor.Result {
        let event = CloudEvent(
            id: "e1", source: "/tests", type: type, subject: "acme-2026-11", time: "2026-11-25T09:00:00Z", causationID: nil,
            data: data)
        let delivery = AMQPDelivery(
            deliveryTag: 1, redelivered: false, exchange: "pilot.events", routingKey: type,
            properties: AMQPProperties(messageID: "e1"), body: event.document.serializedBytes())
        return processor.process(delivery, logger: Logger(label: "test"))
    }

    func mail(to: [String], path: String = "threads/sales/acme-2026-11/kickoff-invite.eml") -> JSONValue {
        ["to": .array(to.map { .string($0) }), "subject": "Kickoff", "eml_path": .string(path)]
    }

    @Test func headerInjectionInRecipientsIsDeadLetteredAsInvalidRecipient() {
        defer { try? FileManager.default.removeItem(at: workspace) }
        for to in ["dana@acme.com\r\nRCPT TO:<evil@x.com>", "dana@acme.com>,<evil@x.com", "Dana <dana@acme.com>", "a@b.c, d@e.f"] {
            let result = process(mail(to: [to]))
            #expect(result.verdict == .dead(reason: "invalid_recipient"), "\(to)")
            #expect(result.publications.first?.routingKey == "pilot.stage.delivery.dead")
        }
        let cc: JSONValue = ["to": ["dana@acme.com"], "cc": ["x@y.z\nBcc: evil@x.com"], "subject": "s", "eml_path": "threads/sales/acme-2026-11/kickoff-invite.eml"]
        #expect(process(cc).verdict == .dead(reason: "invalid_recipient"))
    }

    @Test func messagePathsOutsideTheThreadsAreRefused() {
        defer { try? FileManager.default.removeItem(at: workspace) }
        for path in ["/etc/passwd", "../outside.txt", "threads/sales/acme-2026-11/../../../outside.txt", "outside.txt",
                     "threads/sales/acme-2026-11/missing.eml", "threads/sales/acme-2026-11/link.eml", "threads/sales/acme-2026-11",
                     // Another pilot's thread: a real file, and a proper document path, but not this event's.
                     "threads/sales/other-2026-01/kickoff-invite.eml", "threads/sales/acme-2026-1/../other-2026-01/kickoff-invite.eml",
                     "threads/sales/acme-2026-11x/kickoff-invite.eml"] {
            let result = process(mail(to: ["dana@acme.com"], path: path))
            #expect(result.verdict == .dead(reason: "invalid_document"), "\(path)")
        }
    }

    @Test func webhookEventsAreHandedToEachReceiverQueueUnchanged() throws {
        defer { try? FileManager.default.removeItem(at: workspace) }
        let result = process(["status": "agreement_sent", "note": "n"], type: "crm.update")
        #expect(result.verdict == .handled(events: 1))
        let copy = try #require(result.publications.first)
        #expect(copy.exchange == "" && copy.routingKey.hasPrefix("pilot.stage.delivery.webhook-"))
        #expect(copy.properties.header("x-webhook-url") == .string("http://127.0.0.1:9/a"))
        #expect(copy.properties.messageID == "e1")
    }
}
