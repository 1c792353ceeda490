import Foundation
import PilotAMQP
import PilotJSON
import PilotRuntime
import PilotTestKit
import Testing

/// Broker restarts and TLS, each against a real RabbitMQ.
@Suite(.live) struct ConnectionResilienceTests {
    @Test func workerReconnectsAfterBrokerRestartAndFinishesEveryEvent() async throws {
        let broker = try await TestBroker.start()
        defer { broker.stop() }
        let worker = try WorkerProcess(environment: [
            "PILOT_AMQP_URL": broker.url(), "PILOT_WORKSPACE": broker.directory.appendingPathComponent("workspace").path, "PILOT_STAGES": "agreement", "PILOT_HANDLER": "echo", "PILOT_HEARTBEAT": "5", "PILOT_LOG_LEVEL": "debug",
        ])
        defer { Task { await worker.terminate() } }
        let before = (0..<50).map { "before-\($0)" }
        let after = (0..<50).map { "after-\($0)" }
        do {
            let probe = try QueueProbe(url: broker.url())
            try probe.tap("tap.echoed", routingKeys: ["pilot.echoed"])
            for id in before { try probe.publish(TestEvents.request(id: id, extensions: ["echodelayms": 20])) }
            try await worker.waitForLog("handled", count: 5)
        }
        try await broker.stopNode()
        try await worker.waitForLog("reconnecting", timeout: .seconds(20))
        try await broker.startNode()
        let probe = try QueueProbe(url: broker.url())
        for id in after { try probe.publish(TestEvents.request(id: id)) }

        var causes = Set<String>()
        try await waitUntil("an echo of all 100 events", timeout: .seconds(60)) {
            for delivery in try probe.takeReady(upTo: 100, from: "tap.echoed") {
                causes.insert(try JSONValue(parsing: delivery.body)["causationid"]?.string ?? "")
            }
            return causes.count >= 100
        }
        #expect(causes == Set(before + after))
        #expect(worker.isRunning)
        try await worker.waitForLog("consuming", count: 2)
        #expect(!worker.log.contains("guest:guest"))
    }

    @Test func tlsConnectsWithTheRightCAAndFailsClearlyWithAnother() async throws {
        let broker = try await TestBroker.shared
        let url = try AMQPURL(broker.url(tls: true))
        var good = AMQPConnectionOptions()
        good.caFile = broker.caFile
        let connection = try AMQPConnection(url: url, options: good)
        try connection.declareQueue("tls-check-\(UUID().uuidString.prefix(6))", arguments: [("x-queue-type", .string("classic"))])
        connection.close()

        var wrong = AMQPConnectionOptions()
        wrong.caFile = broker.otherCAFile
        let error = #expect(throws: AMQPError.self) { try AMQPConnection(url: url, options: wrong) }
        let text = error?.description ?? ""
        #expect(text.contains("connect to localhost:\(broker.tlsPort)"))
        #expect(!text.contains("guest:guest"))
    }

    /// RabbitMQ 3.10 boots without its TLS listener when that port is taken.
    @Test func aTakenTLSPortFailsTheStartAndTheNextTryTakesAnother() async throws {
        let taken = try #require(LoopbackListener(port: freeLoopbackPort()))
        let error = await #expect(throws: ShellError.self) { try await TestBroker.start(attempts: 1, firstTLSPort: taken.port) }
        #expect(error?.output.contains("booted without its AMQPS listener on 127.0.0.1:\(taken.port)") == true)
        #expect(error?.output.contains("eaddrinuse") == true)

        let broker = try await TestBroker.start(attempts: 2, firstTLSPort: taken.port)
        defer { broker.stop() }
        #expect(broker.tlsPort != taken.port)
        var options = AMQPConnectionOptions()
        options.caFile = broker.caFile
        try AMQPConnection(url: AMQPURL(broker.url(tls: true)), options: options).close()
    }

    @Test func workerRunsOverTLS() async throws {
        let broker = try await TestBroker.shared
        let vhost = try await broker.makeVirtualHost("tls")
        defer { Task { await vhost.delete() } }
        let probe = try QueueProbe(url: vhost.url)
        try probe.tap("tap.echoed", routingKeys: ["pilot.echoed"])
        let worker = try WorkerProcess(environment: [
            "PILOT_AMQP_URL": broker.url(vhost: vhost.name, tls: true), "PILOT_CA_FILE": broker.caFile,
            "PILOT_WORKSPACE": vhost.workspace.path,
            "PILOT_STAGES": "agreement", "PILOT_HANDLER": "echo",
        ])
        defer { Task { await worker.terminate() } }
        // A connection that fails shows in the log this wait reports.
        try await worker.waitForLog("consuming")
        try probe.publish(TestEvents.request(id: "over-tls"))
        let echoed = try await probe.take(1, from: "tap.echoed")
        #expect(echoed.count == 1)
        #expect(worker.log.contains("amqps://guest:***@localhost"))
    }
}
