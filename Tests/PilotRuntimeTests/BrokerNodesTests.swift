import PilotAMQP
import PilotTestKit
import Testing

/// `PILOT_AMQP_URL` as the node list of a cluster.
@Suite struct BrokerNodesTests {
    @Test func aListOfNodesParsesAndNeverShowsAPassword() throws {
        let nodes = try AMQPNodes("amqp://pilot:s3cret@10.0.0.1:5672/%2f, amqp://pilot:s3cret@10.0.0.2:5673/%2f ,amqps://pilot:s3cret@n3/%2f")
        #expect(nodes.urls.map(\.host) == ["10.0.0.1", "10.0.0.2", "n3"])
        #expect(nodes.urls.map(\.port) == [5672, 5673, 5671])
        #expect(!nodes.description.contains("s3cret"))
        #expect(try AMQPNodes("amqp://guest:guest@localhost/%2f").urls.count == 1)
    }

    @Test(arguments: ["amqp://a:s3cret@h1/%2f,,amqp://a:s3cret@h2/%2f", "amqp://a:s3cret@h1/%2f,", "amqp://a:s3cret@h1/%2f,http://h2"])
    func anEmptyOrBadEntryIsRefusedWithoutAPassword(text: String) {
        let error = #expect(throws: AMQPError.self) { try AMQPNodes(text) }
        #expect(error?.description.contains("s3cret") == false)
    }

    /// The first node refuses connections: the worker goes on to the next and consumes there.
    @Test(.live) func aWorkerConnectsToTheFirstNodeThatAnswers() async throws {
        let broker = try await TestBroker.shared
        let vhost = try await broker.makeVirtualHost("nodes")
        defer { Task { await vhost.delete() } }
        let probe = try QueueProbe(url: vhost.url)
        try probe.tap("tap.echoed", routingKeys: ["pilot.echoed"])
        let down = "amqp://guest:guest@127.0.0.1:\(freeLoopbackPort())/\(vhost.name)"
        let worker = try WorkerProcess(environment: [
            "PILOT_AMQP_URL": "\(down),\(vhost.url)", "PILOT_WORKSPACE": vhost.workspace.path,
            "PILOT_STAGES": "agreement", "PILOT_HANDLER": "echo", "PILOT_DATABASE": "none",
        ])
        defer { Task { await worker.terminate() } }
        try probe.publish(TestEvents.request(id: "second-node"))
        let echoed = try await worker.explaining { try await probe.take(1, from: "tap.echoed") }
        #expect(echoed.count == 1)
        #expect(worker.log.contains("node=amqp://guest:***@127.0.0.1:\(broker.amqpPort)"))
    }
}
