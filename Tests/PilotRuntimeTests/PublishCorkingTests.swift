import Foundation
@testable import PilotAMQP
import PilotTestKit
import Testing

/// `AMQPConnection.corked`: a run of publishes leaves in full segments, and nothing is
/// held back once the run is over, whether it finished or failed part way.
@Suite(.live) struct PublishCorkingTests {
    @Test func corkedPublishesAreAllQueuedOnceTheRunEnds() async throws {
        let broker = try await TestBroker.shared
        let connection = try AMQPConnection(url: AMQPURL(broker.url()))
        defer { connection.close() }
        try connection.enableConfirms()
        let queue = "cork-\(UUID().uuidString.prefix(8))"
        try connection.declareQueue(queue, transient: true)

        #expect(!connection.isCorked)
        try connection.corked { () throws(AMQPError) in
            #expect(connection.isCorked)
            for index in 0..<100 {
                try connection.publish(exchange: "", routingKey: queue, properties: AMQPProperties(contentType: "application/octet-stream", messageID: "m\(index)"), body: Array(repeating: 0x61, count: 2_000))
            }
        }
        #expect(!connection.isCorked)
        try connection.waitForConfirms(timeout: 10)
        #expect(try connection.declareQueue(queue, passive: true).messages == 100)
    }

    @Test func aRunThatFailsPartWayStillSendsWhatItPublished() async throws {
        let broker = try await TestBroker.shared
        let connection = try AMQPConnection(url: AMQPURL(broker.url()))
        defer { connection.close() }
        try connection.enableConfirms()
        let queue = "cork-\(UUID().uuidString.prefix(8))"
        try connection.declareQueue(queue, transient: true)

        #expect(throws: AMQPError.self) {
            try connection.corked { () throws(AMQPError) in
                for index in 0..<10 {
                    try connection.publish(exchange: "", routingKey: queue, properties: AMQPProperties(contentType: "application/octet-stream", messageID: "m\(index)"), body: [0x62])
                }
                throw AMQPError(operation: "a publish in the middle", kind: .usage("failed on purpose"))
            }
        }
        #expect(!connection.isCorked)
        try connection.waitForConfirms(timeout: 10)
        #expect(try connection.declareQueue(queue, passive: true).messages == 10)
    }
}
