import ArgumentParser
import Foundation
import PilotAMQP
import PilotJSON
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

    /// One queue's figures; nil where the source cannot tell.
    struct Row {
        var queue: String
        var exists = true
        var ready: Int64?
        var unacked: Int64?
        var consumers: Int64?
        var publishRate: Double?
        var ackRate: Double?
    }

    func run() throws {
        let queues = Topology(stages: Stage.configured, dayLength: broker.dayLength).queues
        let rows: [Row]
        let source: String
        do {
            rows = try fromManagement(queues)
            source = "management API"
        } catch let error as ManagementError {
            rows = try fromPassiveDeclares(queues)
            source = "AMQP passive declares; no unacked counts or rates: the management API did not answer (\(error))"
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

    private func fromManagement(_ queues: [String]) throws -> [Row] {
        let api = try broker.management()
        let listed = try api.get(api.path("queues")).array ?? []
        var byName: [String: JSONValue] = [:]
        for queue in listed { if let name = queue["name"]?.string { byName[name] = queue } }
        return queues.map { name in
            guard let queue = byName[name] else { return Row(queue: name, exists: false) }
            let stats = queue["message_stats"]
            return Row(
                queue: name, ready: queue["messages_ready"]?.integer, unacked: queue["messages_unacknowledged"]?.integer,
                consumers: queue["consumers"]?.integer, publishRate: stats?["publish_details"]?["rate"]?.number ?? 0,
                ackRate: stats?["ack_details"]?["rate"]?.number ?? 0)
        }
    }

    private func fromPassiveDeclares(_ queues: [String]) throws -> [Row] {
        var connection = try broker.connect()
        defer { connection.close() }
        var rows: [Row] = []
        for queue in queues {
            switch Result(catching: { () throws(AMQPError) in try connection.declareQueue(queue, passive: true) }) {
            case .success(let counts):
                rows.append(Row(queue: queue, ready: Int64(counts.messages), consumers: Int64(counts.consumers)))
            case .failure(let error) where error.isNotFound:
                rows.append(Row(queue: queue, exists: false))
                // The broker closes the channel on a 404.
                connection = try broker.connect()
            case .failure(let error):
                throw error
            }
        }
        return rows
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
