import Foundation
import PilotAMQP
import PilotTestKit
import Testing

/// `AMQPConnection.awaitInput`: the wait of a consumer with batches in flight. It must
/// sleep when nothing is there (rabbitmq-c's own short waits returned at once, and the
/// consumer spun) and wake for input on any of its connections.
@Suite(.live) struct ConsumerWaitTests {
    /// No heartbeats: a heartbeat frame is input too, and would end a wait that must not end.
    static let quiet: AMQPConnectionOptions = {
        var options = AMQPConnectionOptions()
        options.heartbeatSeconds = 0
        return options
    }()

    @Test func aShortWaitWithNothingToReadSleepsAndReportsNothing() async throws {
        let broker = try await TestBroker.shared
        let consumer = try AMQPConnection(url: AMQPURL(broker.url()), options: Self.quiet)
        defer { consumer.close() }
        let queue = "wait-\(UUID().uuidString.prefix(8))"
        try consumer.declareQueue(queue, transient: true)
        try consumer.consume(queue: queue, prefetch: 10)

        // Under a millisecond: rounded up, never down to a poll that returns at once.
        let start = ContinuousClock.now
        let input = AMQPConnection.awaitInput([consumer], timeout: 0.0005)
        #expect(!input)
        #expect(ContinuousClock.now - start >= .microseconds(500))
    }

    @Test func aDeliveryOnEitherConnectionEndsTheWait() async throws {
        let broker = try await TestBroker.shared
        let consumer = try AMQPConnection(url: AMQPURL(broker.url()), options: Self.quiet)
        defer { consumer.close() }
        let publisher = try AMQPConnection(url: AMQPURL(broker.url()), options: Self.quiet)
        defer { publisher.close() }
        let queue = "wait-\(UUID().uuidString.prefix(8))"
        try consumer.declareQueue(queue, transient: true)
        try consumer.consume(queue: queue, prefetch: 10)

        // The publisher's channel is idle; the consumer's gets the message.
        try publisher.publish(exchange: "", routingKey: queue, properties: AMQPProperties(contentType: "application/octet-stream"), body: [0x63])
        #expect(AMQPConnection.awaitInput([publisher, consumer], timeout: 30))
        let delivery = try #require(try consumer.nextDelivery(timeout: 10))
        #expect(delivery.body == [0x63])
        // Read once: nothing is left, so a wait that has to sleep reports nothing.
        #expect(!AMQPConnection.awaitInput([publisher, consumer], timeout: 0.05))
    }
}
