import Foundation
import PilotAMQP
import PilotRuntime
import PilotTestKit
import Testing

/// A replay removes a dead letter only once its copy is in a queue: the broker confirms a
/// copy no queue took as readily as a stored one.
@Suite(.live) struct DeadLetterReplayTests {
    static let stage = Stage.all[0]

    /// A virtual host with `stage`'s queues, and a connection to it with confirms on.
    static func replayHost() async throws -> (VirtualHost, AMQPConnection) {
        let vhost = try await TestBroker.shared.makeVirtualHost("replay")
        do {
            let admin = try AMQPConnection(url: AMQPURL(vhost.url))
            try admin.enableConfirms()
            try Topology(stages: [stage]).declare(on: admin)
            return (vhost, admin)
        } catch {
            await vhost.delete()
            throw error
        }
    }

    @Test func aCopyNoQueueTakesLeavesItsDeadLetterAndTheOnesAfterIt() async throws {
        let (vhost, admin) = try await Self.replayHost()
        defer { Task { await vhost.delete() } }
        defer { admin.close() }
        let stage = Self.stage
        // A webhook receiver's copy addressed to a queue since removed, then one that can go back.
        for (id, queue) in [("gone", "pilot.receiver.removed"), ("later", stage.queue)] {
            let properties = AMQPProperties(contentType: "application/cloudevents+json", messageID: id, headers: [
                (Header.errorReason, .string("handler_failed")), (Header.originalExchange, .string("")),
                (Header.originalRoutingKey, .string(queue)),
            ])
            try admin.publish(exchange: "", routingKey: stage.deadQueue, properties: properties, body: Array("{}".utf8))
        }
        try admin.waitForConfirms()

        let browser = try AMQPConnection(url: AMQPURL(vhost.url))
        let publisher = try AMQPConnection(url: AMQPURL(vhost.url))
        try publisher.enableConfirms()
        let queue = DeadLetterQueue(stage: stage)
        let letters = try queue.browse(browser)
        #expect(letters.map(\.eventID) == ["gone", "later"])
        let error = #expect(throws: DeadLetterQueue.UnroutableReplay.self) {
            try queue.replay(letters, from: browser, publisher: publisher)
        }
        #expect(error?.eventID == "gone" && error?.replayed == 0 && error?.routingKey == "pilot.receiver.removed")
        browser.close()
        publisher.close()
        // Closing the browsing connection returns whatever was not removed: both.
        try await waitUntil("both dead letters back in \(stage.deadQueue)") {
            try admin.declareQueue(stage.deadQueue, passive: true).messages == 2
        }
        #expect(try admin.declareQueue(stage.queue, passive: true).messages == 0)
    }

    /// Letters without our headers: one the broker moved out of a queue goes back to that
    /// queue only, and so does one whose first death was an expiry (a day timer's, routed
    /// on to the queue that then refused it): to the queue of its last death, read from
    /// `x-death`, not back to the waiting room. One with no `type` property goes by the
    /// type in its body.
    @Test func lettersWithoutOurHeadersGoWhereTheyCameFrom() async throws {
        let (vhost, admin) = try await Self.replayHost()
        defer { Task { await vhost.delete() } }
        defer { admin.close() }
        let stage = Self.stage
        // A receiver's queue that dead-letters what it refuses, as the stage queues' policy
        // does, and a waiting room that hands it what expires, as the day timers do.
        let receiver = "pilot.receiver.crm"
        let waiting = "pilot.waiting.test"
        try admin.declareQueue(receiver, arguments: [
            ("x-dead-letter-exchange", .string("")), ("x-dead-letter-routing-key", .string(stage.deadQueue)),
        ])
        try admin.declareQueue(waiting, arguments: [
            ("x-message-ttl", .int(1)), ("x-dead-letter-exchange", .string("")), ("x-dead-letter-routing-key", .string(receiver)),
        ])
        let body = Array(#"{"type":"pilot.requested","id":"e-1"}"#.utf8)
        try admin.publish(exchange: "", routingKey: receiver, properties: AMQPProperties(messageID: "moved"), body: body)
        try admin.publish(exchange: "", routingKey: stage.deadQueue, properties: AMQPProperties(messageID: "bare"), body: body)
        try admin.waitForConfirms()
        let refused = try #require(try admin.get(queue: receiver))
        try admin.nack(refused.deliveryTag, requeue: false)
        try admin.publish(exchange: "", routingKey: waiting, properties: AMQPProperties(messageID: "waited"), body: body)
        try admin.waitForConfirms()
        try await waitUntil("the waiting room handed it on") { try admin.declareQueue(receiver, passive: true).messages == 1 }
        let expired = try #require(try admin.get(queue: receiver))
        try admin.nack(expired.deliveryTag, requeue: false)
        try await waitUntil("the broker moved them to \(stage.deadQueue)") {
            try admin.declareQueue(stage.deadQueue, passive: true).messages == 3
        }

        let browser = try AMQPConnection(url: AMQPURL(vhost.url))
        defer { browser.close() }
        let publisher = try AMQPConnection(url: AMQPURL(vhost.url))
        defer { publisher.close() }
        try publisher.enableConfirms()
        let queue = DeadLetterQueue(stage: stage)
        let letters = try queue.browse(browser)
        #expect(Set(letters.map(\.eventID)) == ["moved", "bare", "waited"])
        let waited = try #require(letters.first { $0.eventID == "waited" })
        #expect(waited.reason == "rejected" && waited.detail.contains(receiver), "its last death, not its expiry: \(waited.reason) \(waited.detail)")
        #expect(try queue.replay(letters, from: browser, publisher: publisher) == 3)
        let returned = [try admin.get(queue: receiver), try admin.get(queue: receiver)].compactMap { $0 }
        #expect(Set(returned.map(\.properties.messageID)) == ["moved", "waited"])
        #expect(try admin.declareQueue(receiver, passive: true).messages == 0)
        let byType = try #require(try admin.get(queue: stage.queue))
        #expect(byType.properties.messageID == "bare")
        #expect(try admin.declareQueue(stage.queue, passive: true).messages == 0, "only the letter without a queue went by type")
        // A replayed copy carries no account of its earlier deaths: a later one names its own queue.
        #expect((returned + [byType]).allSatisfy {
            $0.properties.header("x-first-death-queue") == nil && $0.properties.header(Header.brokerDeaths)?.arrayValue?.count ?? 0 == 0
        })
        #expect(try admin.declareQueue(waiting, passive: true).messages == 0)
    }
}
