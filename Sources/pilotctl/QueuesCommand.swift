import ArgumentParser
import Foundation
import PilotAMQP
import PilotJSON
import PilotRuntime

struct QueuesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queues",
        abstract: "Depth and consumers of every queue of the topology (AMQP passive declares).")

    @OptionGroup var broker: BrokerOptions
    @Flag(help: "One JSON object per queue.") var json = false

    func run() throws {
        let topology = Topology(dayLength: broker.dayLength)
        let queues = topology.queues
        if !json {
            print(pad("queue", 34) + pad("ready", 8) + "consumers   (source: AMQP passive declare; unacked counts need the management API)")
        }
        var connection = try broker.connect()
        defer { connection.close() }
        for queue in queues {
            switch Result(catching: { () throws(AMQPError) in try connection.declareQueue(queue, passive: true) }) {
            case .success(let counts):
                print(json
                    ? JSONValue.object(JSONObject([
                        ("queue", .string(queue)), ("ready", .int(Int64(counts.messages))),
                        ("consumers", .int(Int64(counts.consumers))), ("source", "amqp"),
                    ])).serialized()
                    : pad(queue, 34) + pad(String(counts.messages), 8) + String(counts.consumers))
            case .failure(let error) where error.isNotFound:
                print(json
                    ? JSONValue.object(JSONObject([("queue", .string(queue)), ("exists", false)])).serialized()
                    : pad(queue, 34) + "missing: run pilotctl topology apply")
                // The broker closes the channel on a 404.
                connection = try broker.connect()
            case .failure(let error):
                throw error
            }
        }
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.padding(toLength: max(width, text.count + 1), withPad: " ", startingAt: 0)
    }
}
