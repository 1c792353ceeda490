import Foundation
import PilotAMQP
import PilotTestKit
import Testing

/// A day timer handled late goes out with an expiration (`DeliveryProcessor.wait`), and the
/// broker takes it out of the timer queue then, not after the queue's whole TTL.
@Suite(.live) struct TimerExpirationTests {
    @Test func aMessageLeavesATTLQueueWhenItsExpirationComes() async throws {
        let broker = try await TestBroker.shared
        let connection = try AMQPConnection(url: AMQPURL(broker.url()))
        defer { connection.close() }
        try connection.enableConfirms()
        let suffix = UUID().uuidString.prefix(8)
        let expired = "expired-\(suffix)"
        let timer = "timer-\(suffix)"
        try connection.declareQueue(expired, transient: true)
        try connection.declareQueue(timer, arguments: [
            ("x-message-ttl", .int(120_000)), ("x-dead-letter-exchange", .string("")),
            ("x-dead-letter-routing-key", .string(expired)),
        ], transient: true)
        // First in the queue: the broker expires messages at the head only.
        try connection.publish(exchange: "", routingKey: timer, properties: AMQPProperties(messageID: "soon", expiration: .milliseconds(200)), body: [1])
        try connection.publish(exchange: "", routingKey: timer, properties: AMQPProperties(messageID: "in-a-day"), body: [2])
        try connection.waitForConfirms(timeout: 10)
        try await waitUntil("the message with an expiration to leave the timer queue", timeout: .seconds(30)) {
            try connection.declareQueue(expired, passive: true).messages == 1
        }
        #expect(try connection.declareQueue(timer, passive: true).messages == 1)
    }
}
