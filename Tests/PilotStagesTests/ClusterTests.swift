import Foundation
import PilotJSON
import PilotStore
import PilotTestKit
import Testing

/// Workers on a 3-node RabbitMQ cluster (quorum queues with a member on every node),
/// given the three node URLs: the node they use, which leads the stage queues, is stopped
/// mid-run, and nothing is lost or stops for longer than the reconnect.
@Suite(.serialized, .live, .heavy) struct ClusterTests {
    // Three brokers boot and join on a machine that runs every other suite too.
    @Test(.timeLimit(.minutes(10))) func losingTheLeadingNodeLosesNothing() async throws {
        // Off the pool: three nodes booting block for a minute, and the suites that run
        // beside this one need the pool's two threads to drive their pilots.
        let cluster = try await offThePool { try TestCluster() }
        defer { cluster.stop() }
        let workspace = cluster.directory.appendingPathComponent("workspace")
        // Upstream and the tap talk to rabbit3, which stays up.
        let probe = try QueueProbe(url: cluster.urls[2])
        try probe.tap("tap.kickoff", routingKeys: ["pilot.kickoff.scheduled"])
        let worker = try WorkerProcess(environment: [
            "PILOT_AMQP_URL": cluster.urls.joined(separator: ","), "PILOT_WORKSPACE": workspace.path,
            "PILOT_STAGES": "agreement,kickoff", "PILOT_RETRY_DELAYS": "200ms,1s", "PILOT_HEARTBEAT": "5",
        ])
        defer { Task { await worker.terminate() } }
        func requests(_ range: Range<Int>) throws {
            try probe.publish(range.map { TestEvents.request(subject: "cluster-\($0)", id: "req-cluster-\($0)") })
        }

        try requests(0..<20)
        var kickoffs = try await worker.explaining { try await probe.take(20, from: "tap.kickoff", timeout: .seconds(60)) }
        // The worker declared the topology through rabbit1, the first node, so it leads the stage queues.
        try await offThePool { try cluster.stop(node: 1) }
        try requests(20..<40)
        kickoffs += try await worker.explaining { try await probe.take(20, from: "tap.kickoff", timeout: .seconds(90)) }
        #expect(worker.log.contains("reconnecting"))
        #expect(worker.log.contains("node=amqp://guest:***@127.0.0.1:\(cluster.ports[1])"), "moved on to rabbit2")

        // rabbit1 comes back and rejoins; the worker goes on where it is.
        try await offThePool { try cluster.start() }
        try requests(40..<45)
        kickoffs += try await worker.explaining { try await probe.take(5, from: "tap.kickoff", timeout: .seconds(60)) }

        // A copy re-sent after the reconnect carries the same id; no pilot has two kickoffs.
        let events = kickoffs.compactMap { try? JSONValue(parsing: $0.body) }
        let ids = Dictionary(grouping: events) { $0["subject"]?.string ?? "" }.mapValues { Set($0.compactMap { $0["id"]?.string }) }
        #expect(Set(ids.keys) == Set((0..<45).map { "cluster-\($0)" }), "every pilot got its kickoff")
        #expect(ids.values.allSatisfy { $0.count == 1 }, "no pilot got two different kickoffs")
        let store = try SQLitePilotStore(path: workspace.appendingPathComponent(".pilot/pilot.db").path)
        let pilots = try store.read { try $0.pilots(status: "kickoff_scheduled", limit: 100) }
        #expect(pilots.count == 45)
        #expect(try probe.depth("pilot.stage.agreement.dead") == 0 && probe.depth("pilot.stage.kickoff.dead") == 0)
    }
}
