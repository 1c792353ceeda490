import Contracts
import Foundation
import Logging
import PilotAMQP
import PilotJSON
import PilotRuntime
import PilotStageAPI

/// CPU cost of the runtime's per-message work without a broker: parse, envelope
/// check, echo handler, derived event, serialisation; then its parse and validation alone,
/// each beside the Swift-tree form it replaced.
struct ProcessBenchmark {
    var messages: Int
    var contracts: Contracts

    func run() throws {
        let body = try NoopStageBenchmark.sampleEvent()
        let delivery = AMQPDelivery(
            deliveryTag: 1, redelivered: false, exchange: "pilot.events", routingKey: "pilot.requested",
            properties: AMQPProperties(contentType: "application/cloudevents+json", messageID: "m"), body: body)
        let processor = DeliveryProcessor(stage: Stage.all[0], definition: EchoStage.definition(for: Stage.all[0]), contracts: contracts)
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        var sink = 0
        let start = ContinuousClock.now
        for _ in 0..<messages {
            let result = processor.process(delivery, logger: logger)
            sink &+= result.publications.first?.body.count ?? 0
        }
        let elapsed = ContinuousClock.now - start
        let parsed = try ParsedJSON(parsing: body)
        let tree = try JSONValue(parsing: body)
        // The parts, each alone: what the runtime does now (json-c's tree read in place)
        // beside the Swift tree it built before.
        let inPlace = timed { sink &+= (try? ParsedJSON(parsing: body)) == nil ? 1 : 0 }
        let toTree = timed { sink &+= (try? JSONValue(parsing: body))?.object?.count ?? 0 }
        let checkInPlace = timed { sink &+= (try? contracts.validate(event: parsed)) == nil ? 1 : 0 }
        let checkTree = timed { sink &+= (try? contracts.validate(event: tree)) == nil ? 1 : 0 }
        say(String(format: "process: %.1f µs/message; parse in place %.1f µs (into a Swift tree %.1f µs), validate in place %.1f µs (the tree %.1f µs) (checksum %d)",
                     Double(elapsed.milliseconds) * 1000 / Double(messages), inPlace, toTree, checkInPlace, checkTree, sink % 7))
    }

    /// Microseconds per call of `body` over `messages` calls.
    private func timed(_ body: () -> Void) -> Double {
        let start = ContinuousClock.now
        for _ in 0..<messages { body() }
        let elapsed = ContinuousClock.now - start
        return (Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12) / Double(messages)
    }
}
