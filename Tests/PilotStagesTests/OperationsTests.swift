import Foundation
import PilotJSON
import PilotRuntime
import PilotTestKit
import Testing

/// `pilotctl` against a real broker with real dead letters and pilots.
@Suite(.serialized) struct OperationsTests {
    /// Runs `pilotctl` to completion and returns its exit status and output.
    func pilotctl(_ arguments: [String], _ vhost: VirtualHost) async throws -> (Int32, String) {
        let tool = try WorkerProcess("pilotctl", arguments: arguments, environment: [
            "PILOT_AMQP_URL": vhost.url, "PILOT_WORKSPACE": vhost.workspace.path,
            "PILOT_SCHEMAS": packageRoot.appendingPathComponent("schemas").path,
        ])
        let status = await tool.waitForExit(timeout: .seconds(60)) ?? -1
        let output = tool.log
        await tool.terminate()
        return (status, output)
    }

    @Test func deadLettersAreListedAndReplayedSafely() async throws {
        let vhost = try await TestBroker.shared.makeVirtualHost("ops")
        defer { Task { await vhost.delete() } }
        let probe = try QueueProbe(url: vhost.url)
        try probe.tap("tap.crm", routingKeys: ["crm.update"])
        let worker = try WorkerProcess(environment: [
            "PILOT_AMQP_URL": vhost.url, "PILOT_WORKSPACE": vhost.workspace.path, "PILOT_STAGES": "agreement,kickoff,monitoring",
        ])
        defer { Task { await worker.terminate() } }

        // A signature that arrives before its pilot is dead-lettered; so is garbage.
        try probe.publish(PreparationFlowTests.signed("late", id: "sig-late"))
        try probe.publishRaw(Array("not json".utf8), routingKey: "pilot.signed")
        try await waitUntil { try probe.depth("pilot.stage.monitoring.dead") == 2 }

        let (listed, listing) = try await pilotctl(["dlq", "list", "monitoring", "--json"], vhost)
        #expect(listed == 0)
        let letters = listing.split(separator: "\n").compactMap { try? JSONValue(parsing: String($0)) }
        #expect(letters.count == 2)
        #expect(letters.contains { $0["reason"] == "wrong_state" && $0["thread_id"] == "late" && $0["event_id"] == "sig-late" })
        #expect(letters.contains { $0["reason"] == "malformed_json" })
        // Browsed messages return to the queue when pilotctl's connection closes.
        try await waitUntil { try probe.depth("pilot.stage.monitoring.dead") == 2 }
        #expect(try probe.depth("pilot.stage.monitoring.dead") == 2, "listing removes nothing")

        let (shown, detail) = try await pilotctl(["dlq", "show", "monitoring", "sig-late"], vhost)
        #expect(shown == 0)
        #expect(detail.contains("no pilot for thread late"))

        // Once the pilot exists, replaying the signature activates it.
        try probe.publish(TestEvents.request(subject: "late", id: "req-late"))
        _ = try await probe.take(2, from: "tap.crm")
        let (dry, dryOutput) = try await pilotctl(["dlq", "replay", "monitoring", "--thread", "late", "--dry-run"], vhost)
        #expect(dry == 0 && dryOutput.contains("1 dead letter(s) would be replayed"))
        try await waitUntil { try probe.depth("pilot.stage.monitoring.dead") == 2 }
        #expect(try probe.depth("pilot.stage.monitoring.dead") == 2, "a dry run removes nothing")

        let (replayed, replayOutput) = try await pilotctl(["dlq", "replay", "monitoring", "--thread", "late"], vhost)
        #expect(replayed == 0 && replayOutput.contains("replayed 1"))
        let active = try await probe.take(1, from: "tap.crm")
        #expect(try active.first.map { try JSONValue(parsing: $0.body)["data"]?["status"] } == "pilot_active")
        try await waitUntil { try probe.depth("pilot.stage.monitoring.dead") == 1 }
        #expect(try probe.depth("pilot.stage.monitoring.dead") == 1, "only the garbage is left")

        let (_, queues) = try await pilotctl(["queues", "--json"], vhost)
        let dead = queues.split(separator: "\n").compactMap { try? JSONValue(parsing: String($0)) }
            .first { $0["queue"] == "pilot.stage.monitoring.dead" }
        #expect(dead?["ready"] == 1)

        let (purged, purgeOutput) = try await pilotctl(["dlq", "purge", "monitoring", "--yes"], vhost)
        #expect(purged == 0 && purgeOutput.contains("purged 1"))

        let (_, trace) = try await pilotctl(["pilot", "trace", "late"], vhost)
        for type in ["pilot.requested", "pilot.agreement.generated", "pilot.signed"] { #expect(trace.contains(type)) }
        let (_, show) = try await pilotctl(["pilot", "show", "late"], vhost)
        #expect(!show.isEmpty)
        #expect(show.contains("status active"))
        #expect(show.contains("threads/sales/late/kickoff-invite.ics"))
    }

    @Test func publishRefusesAnEventThatBreaksItsContract() async throws {
        let vhost = try await TestBroker.shared.makeVirtualHost("ops")
        defer { Task { await vhost.delete() } }
        var data = TestEvents.sampleRequest.object!
        var terms = data["terms"]!.object!
        terms["duration_days"] = 45
        data["terms"] = .object(terms)
        let file = vhost.workspace.appendingPathComponent("bad.json")
        try Data(TestEvents.make(data: .object(data)).document.serializedBytes()).write(to: file)
        let (status, output) = try await pilotctl(["publish", file.path], vhost)
        #expect(status != 0)
        #expect(output.contains("/data/terms/duration_days: 45 is greater than the maximum 30"))
    }

    func waitUntil(timeout: Duration = .seconds(30), _ condition: () throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while try !condition() {
            guard ContinuousClock.now < deadline else { return }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
