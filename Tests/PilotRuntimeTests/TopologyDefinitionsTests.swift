import Foundation
import PilotAMQP
import PilotJSON
import PilotRuntime
import PilotTestKit
import Testing

@Suite struct TopologyDefinitionsTests {
    /// `deploy/rabbitmq/definitions.json` is what `pilotctl topology export` prints for the
    /// default configuration; regenerate it with that command when the topology changes.
    @Test func committedDefinitionsMatchTheTopology() throws {
        let path = packageRoot.appendingPathComponent("deploy/rabbitmq/definitions.json").path
        let committed = try JSONValue(parsing: Array(try #require(FileManager.default.contents(atPath: path))))
        #expect(committed == Topology().definitions(vhost: "/"))
    }

    /// What `apply` declares on a broker is what `export` describes: same queues with the
    /// same arguments, same exchanges, same bindings.
    @Test(.live) func exportDescribesWhatApplyDeclares() async throws {
        let broker = try await TestBroker.shared
        let vhost = try await broker.makeVirtualHost("defs")
        defer { Task { await vhost.delete() } }
        let topology = Topology()
        try topology.declare(on: try vhost.connect())
        let live = try JSONValue(parsing: Array(try await broker.management("GET", "/api/definitions/\(vhost.name)", body: nil)))
        let exported = topology.definitions(vhost: vhost.name)

        func index(_ document: JSONValue, _ key: String, by name: (JSONValue) -> String) -> [String: JSONValue] {
            Dictionary(uniqueKeysWithValues: (document[key]?.array ?? []).map { (name($0), $0) })
        }
        let liveQueues = index(live, "queues") { $0["name"]?.string ?? "" }
        for queue in exported["queues"]?.array ?? [] {
            let name = queue["name"]?.string ?? ""
            let declared = try #require(liveQueues[name], "queue \(name) declared")
            #expect(declared["arguments"] == queue["arguments"], "arguments of \(name)")
            #expect(declared["durable"] == true)
        }
        let liveExchanges = index(live, "exchanges") { $0["name"]?.string ?? "" }
        for exchange in exported["exchanges"]?.array ?? [] {
            #expect(liveExchanges[exchange["name"]?.string ?? ""]?["type"] == exchange["type"])
        }
        let key = { (b: JSONValue) in "\(b["source"]?.string ?? "")>\(b["destination"]?.string ?? "")>\(b["routing_key"]?.string ?? "")" }
        let liveBindings = Set((live["bindings"]?.array ?? []).map(key))
        for binding in exported["bindings"]?.array ?? [] { #expect(liveBindings.contains(key(binding)), "binding \(key(binding))") }
    }
}
