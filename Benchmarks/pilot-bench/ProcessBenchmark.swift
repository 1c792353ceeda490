import Contracts
import Foundation
import Logging
import PilotAMQP
import PilotJSON
import PilotRuntime
import PilotStageAPI

/// CPU cost of the runtime's per-message work without a broker: parse, envelope
/// check, echo handler, derived event, serialisation. Baseline: copying the body.
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
        let parseStart = ContinuousClock.now
        for _ in 0..<messages { sink &+= (try? JSONValue(parsing: body))?.object?.count ?? 0 }
        let parse = ContinuousClock.now - parseStart
        say(String(format: "process: %.1f µs/message; of which JSON parse %.1f µs (checksum %d)",
                     Double(elapsed.milliseconds) * 1000 / Double(messages), Double(parse.milliseconds) * 1000 / Double(messages), sink % 7))
    }
}
