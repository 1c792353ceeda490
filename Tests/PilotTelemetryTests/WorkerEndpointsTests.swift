import Foundation
import PilotJSON
import PilotTestKit
import Testing

/// The endpoints of a real `pilot-worker` process on its own broker: what Prometheus
/// scrapes after a run, and what Kubernetes' probes see while the broker goes away.
@Suite(.live) struct WorkerEndpointsTests {
    @Test func metricsCountWhatHappenedAndReadinessFollowsTheBroker() async throws {
        let broker = try await TestBroker.start()
        defer { broker.stop() }
        let port = freeLoopbackPort()
        let base = "http://127.0.0.1:\(port)"
        let worker = try WorkerProcess(environment: [
            "PILOT_AMQP_URL": broker.url(), "PILOT_WORKSPACE": broker.directory.appendingPathComponent("workspace").path,
            "PILOT_STAGES": "agreement,kickoff", "PILOT_HANDLER": "echo", "PILOT_HEARTBEAT": "5",
            "PILOT_METRICS_PORT": String(port), "PILOT_METRICS_HOST": "127.0.0.1",
        ])
        defer { Task { await worker.terminate() } }

        try await worker.explaining { try await HTTPProbe.waitFor("\(base)/healthz", status: 200) }
        try await worker.explaining { try await HTTPProbe.waitFor("\(base)/readyz", status: 200) }
        #expect(await HTTPProbe.get("\(base)/readyz")?.body == "ready: 2 of 2 consumers consuming\n")
        #expect(await HTTPProbe.get("\(base)/nothing-here")?.status == 404)

        let probe = try QueueProbe(url: broker.url())
        try probe.tap("tap.echoed", routingKeys: ["pilot.echoed"])
        for index in 0..<20 { try probe.publish(TestEvents.request(id: "good-\(index)")) }
        try probe.publishRaw(Array("{not json".utf8), routingKey: "pilot.requested")
        try probe.publishRaw(Array("{not json either".utf8), routingKey: "pilot.requested")
        var broken = TestEvents.request(id: "bad-schema").document.object!
        broken["data"] = ["lead": "no"]
        try probe.publishRaw(JSONValue.object(broken).serializedBytes(), routingKey: "pilot.requested")
        try probe.publish(TestEvents.request(id: "rejected", extensions: ["echoreject": "asked by the test"]))
        #expect(try await probe.take(20, from: "tap.echoed").count == 20)

        // Acks follow confirms, so wait for the counts to settle rather than sleep. The last
        // batch's outbox rows are marked sent after its ack (with the next batch, or on
        // their own once the consumer is idle), so the backlog reaches 0 a moment later.
        var samples: [String: Double] = [:]
        try await waitUntil("pilot_acked_total{stage=agreement} to reach 24 and the outbox backlog 0", timeout: .seconds(20), interval: .milliseconds(200)) {
            samples = try scrape("\(base)/metrics")
            return samples[#"pilot_acked_total{stage=agreement}"#] == 24 && samples["pilot_outbox_backlog{}"] == 0
        }
        #expect(samples[#"pilot_deliveries_total{outcome=received,stage=agreement}"#] == 24)
        #expect(samples[#"pilot_deliveries_total{outcome=handled,stage=agreement}"#] == 20)
        #expect(samples[#"pilot_deliveries_total{outcome=dead_lettered,stage=agreement}"#] == 4)
        #expect(samples[#"pilot_dead_letters_total{reason=malformed_json,stage=agreement}"#] == 2)
        #expect(samples[#"pilot_dead_letters_total{reason=schema_violation,stage=agreement}"#] == 1)
        #expect(samples[#"pilot_dead_letters_total{reason=rejected,stage=agreement}"#] == 1)
        #expect(samples[#"pilot_acked_total{stage=agreement}"#] == 24)
        #expect(samples[#"pilot_published_total{stage=agreement}"#] == 24)
        #expect(samples[#"pilot_handling_seconds_count{stage=agreement}"#] == 24)
        // However the 24 were batched, each batch holds at least one.
        #expect((1...24).contains(samples[#"pilot_batches_total{stage=agreement}"#] ?? 0))
        #expect(samples[#"pilot_deliveries_total{outcome=received,stage=kickoff}"#] == 0)
        #expect(samples["pilot_outbox_backlog{}"] == 0)
        #expect(samples["pilot_consumers{}"] == 2)
        #expect(samples["pilot_ready{}"] == 1)

        try await broker.stopNode()
        try await worker.explaining { try await HTTPProbe.waitFor("\(base)/readyz", status: 503, timeout: .seconds(30)) }
        #expect(await HTTPProbe.get("\(base)/healthz")?.status == 200)
        try await broker.startNode()
        try await worker.explaining { try await HTTPProbe.waitFor("\(base)/readyz", status: 200, timeout: .seconds(60)) }
        samples = try scrape("\(base)/metrics")
        #expect((samples[#"pilot_reconnects_total{stage=agreement}"#] ?? 0) >= 1)

        worker.signal(SIGTERM)
        #expect(try await worker.waitForExit() == 0)
        #expect(await HTTPProbe.get("\(base)/healthz") == nil)
    }

    /// The samples of a scrape, parsed by the reference Python client.
    private func scrape(_ url: String) throws -> [String: Double] {
        let script = packageRoot.appendingPathComponent("Tests/PilotTelemetryTests/python/scrape.py").path
        let output = try shell(["python3", script, url])
        guard case .object(let object) = try JSONValue(parsing: Array(output.utf8)) else { return [:] }
        var samples: [String: Double] = [:]
        for (key, value) in object.members {
            switch value {
            case .int(let number): samples[key] = Double(number)
            case .double(let number): samples[key] = number
            default: break
            }
        }
        return samples
    }
}
