import ArgumentParser
import Foundation
import PilotAMQP
import PilotJSON
import PilotOperations
import PilotRuntime

struct QueuesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queues",
        abstract: "Depth, unacked, consumers and rates of every queue of the topology.",
        discussion: """
            Reads the management API when it answers, and AMQP passive declares otherwise (ready and \
            consumers only); the output says which.
            """)

    @OptionGroup var broker: BrokerOptions
    @Flag(help: "One JSON object per queue.") var json = false

    typealias Row = QueueDepths.Row

    func run() throws {
        let queues = Topology(stages: Stage.configured, dayLength: broker.dayLength).queues
        let (rows, from) = try QueueDepths.read(queues, management: try broker.management()) { try broker.connect() }
        let source: String
        switch from {
        case .management: source = "management API"
        case .passiveDeclares(let reason):
            source = "AMQP passive declares; no unacked counts or rates: the management API did not answer (\(reason))"
        }
        if json {
            for row in rows { print(encode(row, source: source.hasPrefix("management") ? "management" : "amqp").serialized()) }
            return
        }
        print("source: \(source)")
        print(pad("queue", 34) + pad("ready", 9) + pad("unacked", 9) + pad("consumers", 11) + pad("in/s", 9) + "acked/s")
        for row in rows {
            guard row.exists else {
                print(pad(row.queue, 34) + "missing: run pilotctl topology apply")
                continue
            }
            print(pad(row.queue, 34) + pad(text(row.ready), 9) + pad(text(row.unacked), 9) + pad(text(row.consumers), 11)
                + pad(rate(row.publishRate), 9) + rate(row.ackRate))
        }
    }

    private func encode(_ row: Row, source: String) -> JSONValue {
        var object = JSONObject([("queue", .string(row.queue)), ("exists", .bool(row.exists))])
        if row.exists {
            object["ready"] = row.ready.map(JSONValue.int) ?? .null
            object["unacked"] = row.unacked.map(JSONValue.int) ?? .null
            object["consumers"] = row.consumers.map(JSONValue.int) ?? .null
            object["publish_rate"] = row.publishRate.map(JSONValue.double) ?? .null
            object["ack_rate"] = row.ackRate.map(JSONValue.double) ?? .null
        }
        object["source"] = .string(source)
        return .object(object)
    }

    private func text(_ value: Int64?) -> String { value.map(String.init) ?? "-" }

    private func rate(_ value: Double?) -> String { value.map { String(format: "%.1f", $0) } ?? "-" }

    private func pad(_ text: String, _ width: Int) -> String {
        text.padding(toLength: max(width, text.count + 1), withPad: " ", startingAt: 0)
    }
}
