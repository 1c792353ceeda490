import PilotAMQP
import Testing

@testable import PilotRuntime

/// What a dead letter the broker moved says about itself, read from its headers alone.
@Suite struct DeadLetterReadingTests {
    func letter(_ headers: [(String, AMQPFieldValue)]) -> DeadLetter {
        DeadLetter(AMQPDelivery(
            deliveryTag: 1, redelivered: false, exchange: "", routingKey: "pilot.stage.monitoring.dead",
            properties: AMQPProperties(messageID: "tick-1", headers: headers),
            body: Array(#"{"type":"pilot.monitor.tick","id":"tick-1","subject":"acme-1"}"#.utf8)))
    }

    func death(_ reason: String, _ queue: String?) -> AMQPFieldValue {
        .table([("count", .int(1)), ("reason", .string(reason))] + (queue.map { [("queue", AMQPFieldValue.string($0))] } ?? []))
    }

    /// A day tick: it expired in its timer queue, reached the stage queue, and was moved out
    /// of that one after its deliveries. `x-death` lists the last death first.
    @Test func aLetterIsReadByItsLastDeathNotItsFirst() {
        let read = letter([
            (Header.brokerDeaths, .array([death("delivery_limit", "pilot.stage.monitoring"), death("expired", "pilot.timer.86400000")])),
            ("x-first-death-reason", .string("expired")), ("x-first-death-queue", .string("pilot.timer.86400000")),
        ])
        #expect(read.reason == "delivery_limit")
        #expect(read.detail.contains("pilot.stage.monitoring"))
        #expect(read.originalRoutingKey == "pilot.stage.monitoring" && read.addressedToQueue)
    }

    /// Without `x-death`, the first death is all there is; an expiry goes by type.
    @Test func withoutTheHistoryTheFirstDeathDecides() {
        let expired = letter([("x-first-death-reason", .string("expired")), ("x-first-death-queue", .string("pilot.timer.86400000"))])
        #expect(expired.reason == "expired")
        #expect(expired.originalRoutingKey == "pilot.monitor.tick" && !expired.addressedToQueue)
    }

    /// A death that names no queue says so in words, and the letter goes by its type: the
    /// words are never taken for a queue's name.
    @Test func aDeathWithoutAQueueGoesByType() {
        for headers in [[(Header.brokerDeaths, AMQPFieldValue.array([death("rejected", nil)]))], [("x-first-death-reason", .string("rejected"))]] {
            let read = letter(headers)
            #expect(read.reason == "rejected")
            #expect(read.detail == "dead-lettered by the broker from the stage queue")
            #expect(read.originalRoutingKey == "pilot.monitor.tick" && !read.addressedToQueue)
        }
    }
}
