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
}
