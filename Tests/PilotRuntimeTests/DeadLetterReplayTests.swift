import Foundation
import PilotAMQP
import PilotRuntime
import PilotTestKit
import Testing

/// A replay removes a dead letter only once its copy is in a queue: the broker confirms a
/// copy no queue took as readily as a stored one.
@Suite(.live) struct DeadLetterReplayTests {
    @Test func aCopyNoQueueTakesLeavesItsDeadLetterAndTheOnesAfterIt() async throws {
        let vhost = try await TestBroker.shared.makeVirtualHost("replay")
        defer { Task { await vhost.delete() } }
        let stage = Stage.all[0]
        let admin = try AMQPConnection(url: AMQPURL(vhost.url))
        defer { admin.close() }
        try admin.enableConfirms()
        try Topology(stages: [stage]).declare(on: admin)
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
    /// queue only; one with no `type` property goes by the type in its body.
    @Test func lettersWithoutOurHeadersGoWhereTheyCameFrom() async throws {
        let vhost = try await TestBroker.shared.makeVirtualHost("replay")
        defer { Task { await vhost.delete() } }
        let stage = Stage.all[0]
        let admin = try AMQPConnection(url: AMQPURL(vhost.url))
        defer { admin.close() }
        try admin.enableConfirms()
        try Topology(stages: [stage]).declare(on: admin)
        // A receiver's queue that dead-letters what it refuses, as the stage queues' policy does.
        let receiver = "pilot.receiver.crm"
        try admin.declareQueue(receiver, arguments: [
            ("x-dead-letter-exchange", .string("")), ("x-dead-letter-routing-key", .string(stage.deadQueue)),
        ])
        let body = Array(#"{"type":"pilot.requested","id":"e-1"}"#.utf8)
        try admin.publish(exchange: "", routingKey: receiver, properties: AMQPProperties(messageID: "moved"), body: body)
        try admin.publish(exchange: "", routingKey: stage.deadQueue, properties: AMQPProperties(messageID: "bare"), body: body)
        try admin.waitForConfirms()
        let refused = try #require(try admin.get(queue: receiver))
        try admin.nack(refused.deliveryTag, requeue: false)
        try await waitUntil("the broker moved it to \(stage.deadQueue)") {
            try admin.declareQueue(stage.deadQueue, passive: true).messages == 2
        }

        let browser = try AMQPConnection(url: AMQPURL(vhost.url))
        defer { browser.close() }
        let publisher = try AMQPConnection(url: AMQPURL(vhost.url))
        defer { publisher.close() }
        try publisher.enableConfirms()
        let queue = DeadLetterQueue(stage: stage)
        let letters = try queue.browse(browser)
        #expect(Set(letters.map(\.eventID)) == ["moved", "bare"])
        #expect(try queue.replay(letters, from: browser, publisher: publisher) == 2)
        #expect(try admin.get(queue: receiver)?.properties.messageID == "moved")
        #expect(try admin.get(queue: stage.queue)?.properties.messageID == "bare")
        #expect(try admin.declareQueue(stage.queue, passive: true).messages == 0, "the moved one went to its own queue only")
    }
}
