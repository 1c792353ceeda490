import Foundation
import Logging
import PilotAMQP
import PilotTestKit
import Testing

@testable import PilotRuntime

/// A message whose sender filled its headers almost to the frame's size: the worker's
/// retry and dead-letter copies add headers of their own, and a copy that no longer fits
/// in a frame cannot be published at all, so the session would die on it at every
/// delivery. The sender's headers make room for ours, and the copy says how many went.
@Suite struct CrowdedHeadersTests {
    static let stage = Stage.all[0]
    static let crowded: [(String, AMQPFieldValue)] = [
        ("trace", .string(String(repeating: "t", count: 130_900))), ("tenant", .string("acme")),
    ]

    static func processor() -> DeliveryProcessor {
        DeliveryProcessor(stage: stage, definition: EchoStage.definition(for: stage))
    }

    static func delivery(headers: [(String, AMQPFieldValue)], body: [UInt8] = Array("not json".utf8)) -> AMQPDelivery {
        AMQPDelivery(
            deliveryTag: 1, redelivered: false, exchange: "pilot.events", routingKey: "pilot.requested",
            properties: AMQPProperties(contentType: "application/json", messageID: "m1", headers: headers), body: body)
    }

    @Test func aDeadLetterOfACrowdedMessageFitsAndCountsWhatWasDropped() throws {
        #expect(Self.delivery(headers: Self.crowded).properties.encodedSize <= AMQPProperties.frameLimit)
        let result = Self.processor().process(Self.delivery(headers: Self.crowded), logger: Logger(label: "test"))
        let copy = try #require(result.publications.first)
        #expect(result.verdict == .dead(reason: "malformed_json"))
        #expect(copy.properties.encodedSize <= AMQPProperties.frameLimit)
        #expect(copy.properties.header(Header.errorReason) == .string("malformed_json"))
        #expect(copy.properties.header(Header.originalRoutingKey) == .string("pilot.requested"))
        #expect(copy.properties.header(Header.droppedHeaders) == .int(2))
        #expect(copy.properties.header("trace") == nil && copy.properties.header("tenant") == nil)
    }

    @Test func aMessageWithRoomKeepsEveryHeader() throws {
        let result = Self.processor().process(Self.delivery(headers: [("tenant", .string("acme"))]), logger: Logger(label: "test"))
        let copy = try #require(result.publications.first)
        #expect(copy.properties.header("tenant") == .string("acme"))
        #expect(copy.properties.header(Header.droppedHeaders) == nil)
    }

    /// The broker's death history, as RabbitMQ writes it on a day tick that expired in its
    /// timer queue: an array of tables, one holding an array itself.
    static let deaths: AMQPFieldValue = .array([.table([
        ("count", .int(1)), ("reason", .string("expired")), ("queue", .string("pilot.timer.86400000")),
        ("time", .int(1_796_000_000)), ("exchange", .string("")), ("routing-keys", .array([.string("pilot.timer.86400000")])),
    ])])

    @Test func aCopyLeavesTheBrokersDeathHistoryBehindButNotItsFirstDeath() throws {
        let headers: [(String, AMQPFieldValue)] = [
            (Header.brokerDeaths, Self.deaths), ("x-first-death-queue", .string("pilot.timer.86400000")), ("tenant", .string("acme")),
        ]
        let result = Self.processor().process(Self.delivery(headers: headers), logger: Logger(label: "test"))
        let copy = try #require(result.publications.first)
        #expect(copy.properties.header(Header.brokerDeaths) == nil, "the broker writes its own")
        #expect(copy.properties.header("x-first-death-queue") == .string("pilot.timer.86400000"))
        #expect(copy.properties.header("tenant") == .string("acme"))
    }

    /// Properties of `size` bytes by `encodedSize`: a header padded to fill them, after `headers`.
    static func padded(to size: Int, after headers: [(String, AMQPFieldValue)] = []) -> AMQPProperties {
        var properties = AMQPProperties(
            contentType: "application/json", messageID: "m1", timestamp: 1, headers: headers + [("pad", .string(""))])
        properties.headers = headers + [("pad", .string(String(repeating: "p", count: size - properties.encodedSize)))]
        return properties
    }

    /// The estimate is exact: properties of `frameLimit` bytes are published, one byte more
    /// are refused by rabbitmq-c before anything is sent.
    @Test(.live) func theSizeEstimateIsExact() async throws {
        let broker = try await TestBroker.shared
        // With and without array headers (the broker's `x-death`), which must also come back
        // whole. A connection each: rabbitmq-c closes the one that was handed too much.
        for before in [[], [(Header.brokerDeaths, Self.deaths), ("empty", .array([]))]] as [[(String, AMQPFieldValue)]] {
            let connection = try AMQPConnection(url: AMQPURL(broker.url()))
            defer { connection.close() }
            try connection.enableConfirms()
            let queue = "exact-\(UUID().uuidString.prefix(8))"
            try connection.declareQueue(queue, transient: true)
            let largest = Self.padded(to: AMQPProperties.frameLimit, after: before)
            #expect(largest.encodedSize == AMQPProperties.frameLimit)
            try connection.publish(exchange: "", routingKey: queue, properties: largest, body: [1], mandatory: true)
            try connection.waitForConfirms(timeout: 10)
            let received = try #require(try connection.get(queue: queue))
            #expect(AMQPFieldValue.table(received.properties.headers) == AMQPFieldValue.table(largest.headers))
            let tooLarge = Self.padded(to: AMQPProperties.frameLimit + 1, after: before)
            #expect(tooLarge.encodedSize == AMQPProperties.frameLimit + 1)
            #expect(throws: AMQPError.self) {
                try connection.publish(exchange: "", routingKey: queue, properties: tooLarge, body: [1], mandatory: true)
            }
        }
    }

    /// The same through a real broker: the crowded message goes in, comes out, and its dead
    /// letter is published and confirmed.
    @Test(.live) func theBrokerTakesTheDeadLetterOfACrowdedMessage() async throws {
        let broker = try await TestBroker.shared
        let connection = try AMQPConnection(url: AMQPURL(broker.url()))
        defer { connection.close() }
        #expect(connection.propertiesLimit == AMQPProperties.frameLimit)
        try Self.deadLetterRoundTrip(headers: Self.crowded, on: connection)
    }

    /// A broker whose `frame_max` is smaller than ours sets the limit: the connection reports
    /// it, its deliveries carry it, and the dead letter is cut to fit it.
    @Test(.live) func aBrokerWithSmallerFramesGetsASmallerCopy() async throws {
        let broker = try await TestBroker.start(erlangArguments: "-rabbit frame_max 8192")
        defer { broker.stop() }
        let connection = try AMQPConnection(url: AMQPURL(broker.url()))
        defer { connection.close() }
        #expect(connection.propertiesLimit == 8184)
        let headers: [(String, AMQPFieldValue)] = [("trace", .string(String(repeating: "t", count: 8_000))), ("tenant", .string("acme"))]
        try Self.deadLetterRoundTrip(headers: headers, on: connection)
    }

    /// Publishes a message with `headers`, takes it back, and publishes and takes its dead letter.
    static func deadLetterRoundTrip(headers: [(String, AMQPFieldValue)], on connection: AMQPConnection) throws {
        try connection.enableConfirms()
        let inbox = "crowded-\(UUID().uuidString.prefix(8))"
        let dead = inbox + ".dead"
        for queue in [inbox, dead] { try connection.declareQueue(queue, transient: true) }
        let original = delivery(headers: headers)
        try connection.publish(exchange: "", routingKey: inbox, properties: original.properties, body: original.body, mandatory: true)
        try connection.waitForConfirms(timeout: 10)
        let received = try #require(try connection.get(queue: inbox))
        try connection.ack(received.deliveryTag)
        #expect(received.propertiesLimit == connection.propertiesLimit)

        var copy = try #require(processor().process(received, logger: Logger(label: "test")).publications.first)
        copy.routingKey = dead
        try connection.publish(copy)
        try connection.waitForConfirms(timeout: 10)
        let letter = try #require(try connection.get(queue: dead))
        try connection.ack(letter.deliveryTag)
        #expect(letter.properties.header(Header.errorReason) == .string("malformed_json"))
        #expect(letter.properties.header(Header.droppedHeaders) == .int(2))
        #expect(letter.body == original.body)
    }
}

extension CrowdedHeadersTests {
    /// A sender may fill headers named like ours (`x-original-routing-key`, `x-error-detail`):
    /// kept, they would still not fit, so only what this hop sets stays.
    @Test func crowdedHeadersNamedLikeOursAreReplaced() throws {
        let headers: [(String, AMQPFieldValue)] = [
            (Header.originalRoutingKey, .string(String(repeating: "k", count: 130_900))), ("tenant", .string("acme")),
        ]
        #expect(Self.delivery(headers: headers).properties.encodedSize <= AMQPProperties.frameLimit)
        let copy = try #require(Self.processor().process(Self.delivery(headers: headers), logger: Logger(label: "test")).publications.first)
        #expect(copy.properties.encodedSize <= AMQPProperties.frameLimit)
        #expect(copy.properties.header(Header.originalRoutingKey) == .string("pilot.requested"))
        #expect(copy.properties.header(Header.droppedHeaders) == .int(2))
        #expect(copy.properties.header(Header.errorReason) == .string("malformed_json"))
    }
}
