import Foundation
import PilotAMQP
import PilotJSON
import PilotRuntime
import PilotTestKit
import Testing

/// `pilotctl` against a real broker with real dead letters and pilots.
@Suite(.serialized, .live) struct OperationsTests {
    /// Runs `pilotctl` to completion and returns its exit status and output.
    func pilotctl(_ arguments: [String], _ vhost: VirtualHost, managementURL: String? = nil) async throws -> (Int32, String) {
        let tool = try WorkerProcess("pilotctl", arguments: arguments, environment: [
            "PILOT_AMQP_URL": vhost.url, "PILOT_WORKSPACE": vhost.workspace.path,
            "PILOT_SCHEMAS": packageRoot.appendingPathComponent("schemas").path,
            "PILOT_MANAGEMENT_URL": managementURL ?? vhost.managementURL,
        ])
        let status = try await tool.waitForExit(timeout: .seconds(60))
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
            "PILOT_RETRY_DELAYS": "100ms", "PILOT_MAX_ATTEMPTS": "3",
            // One consumer per stage: the sentinel below relies on its order.
            "PILOT_CONCURRENCY": "1",
        ])
        defer { Task { await worker.terminate() } }

        // A signature whose pilot does not come within its retries is dead-lettered; so is garbage.
        try probe.publish(PreparationFlowTests.signed("late", id: "sig-late"))
        try probe.publishRaw(Array("not json".utf8), routingKey: "pilot.signed")
        try await waitUntil("2 dead letters in pilot.stage.monitoring.dead") { try probe.depth("pilot.stage.monitoring.dead") == 2 }

        let (listed, listing) = try await pilotctl(["dlq", "list", "monitoring", "--json"], vhost)
        #expect(listed == 0)
        let letters = listing.split(separator: "\n").compactMap { try? JSONValue(parsing: String($0)) }
        #expect(letters.count == 2)
        #expect(letters.contains { $0["reason"] == "wrong_state" && $0["thread_id"] == "late" && $0["event_id"] == "sig-late" })
        #expect(letters.contains { $0["reason"] == "malformed_json" })
        // Browsed messages return to the queue when pilotctl's connection closes.
        try await waitUntil("2 dead letters in pilot.stage.monitoring.dead") { try probe.depth("pilot.stage.monitoring.dead") == 2 }
        #expect(try probe.depth("pilot.stage.monitoring.dead") == 2, "listing removes nothing")

        let (shown, detail) = try await pilotctl(["dlq", "show", "monitoring", "sig-late"], vhost)
        #expect(shown == 0)
        #expect(detail.contains("no pilot for thread late"))

        // Once the pilot exists, replaying the signature activates it.
        try probe.publish(TestEvents.request(subject: "late", id: "req-late"))
        _ = try await probe.take(2, from: "tap.crm")
        let (dry, dryOutput) = try await pilotctl(["dlq", "replay", "monitoring", "--thread", "late", "--dry-run"], vhost)
        #expect(dry == 0 && dryOutput.contains("1 dead letter(s) would be replayed"))
        try await waitUntil("2 dead letters in pilot.stage.monitoring.dead") { try probe.depth("pilot.stage.monitoring.dead") == 2 }
        #expect(try probe.depth("pilot.stage.monitoring.dead") == 2, "a dry run removes nothing")

        // A replay that dies between the confirm and the removal loses nothing: the dead
        // letter is still there, and replaying it again doubles nothing.
        let (crashed, crashOutput) = try await pilotctl(
            ["dlq", "replay", "monitoring", "--thread", "late", "--failpoint", "crash-after-publish"], vhost)
        #expect(crashed == 137, "\(crashOutput)")
        let active = try await probe.take(1, from: "tap.crm")
        #expect(try active.first.map { try JSONValue(parsing: $0.body)["data"]?["status"] } == "pilot_active")
        try await waitUntil("2 dead letters in pilot.stage.monitoring.dead") { try probe.depth("pilot.stage.monitoring.dead") == 2 }
        #expect(try probe.depth("pilot.stage.monitoring.dead") == 2, "the interrupted replay removed nothing")

        let (replayed, replayOutput) = try await pilotctl(["dlq", "replay", "monitoring", "--thread", "late"], vhost)
        #expect(replayed == 0 && replayOutput.contains("replayed 1"))
        try await waitUntil("1 dead letter in pilot.stage.monitoring.dead") { try probe.depth("pilot.stage.monitoring.dead") == 1 }
        #expect(try probe.depth("pilot.stage.monitoring.dead") == 1, "only the garbage is left")
        try await worker.waitForLog("duplicate delivery ignored")
        // No second pilot_active, proven without waiting "long enough": a sentinel pilot
        // signed now goes through the same monitoring queue and its single consumer after
        // the ignored copy, and that consumer publishes in order on one channel, so
        // anything the copy caused would reach tap.crm before the sentinel's pilot_active.
        try probe.publish(TestEvents.request(subject: "sentinel", id: "req-sentinel"))
        let prepared = try await probe.take(2, from: "tap.crm")
        try probe.publish(PreparationFlowTests.signed("sentinel", id: "sig-sentinel"))
        let next = try await probe.take(1, from: "tap.crm")
        let updates = try (prepared + next).map { try JSONValue(parsing: $0.body) }
        #expect(updates.allSatisfy { $0["subject"] == "sentinel" }, "no second pilot_active for late: \(updates)")
        #expect(updates.last?["data"]?["status"] == "pilot_active")

        // The management API's figures lag by its stats interval (5 s), and one sample can
        // still count a letter the replay held: wait for the whole state, not its first half.
        var dead: JSONValue?
        try await waitUntil("the management API to show 1 ready and 0 unacked dead letters", timeout: .seconds(20)) {
            let (_, queues) = try await pilotctl(["queues", "--json"], vhost)
            dead = queues.split(separator: "\n").compactMap { try? JSONValue(parsing: String($0)) }
                .first { $0["queue"] == "pilot.stage.monitoring.dead" }
            return dead?["ready"] == 1 && dead?["unacked"] == 0
        }
        #expect(dead?["ready"] == 1)
        #expect(dead?["unacked"] == 0)
        #expect(dead?["source"] == "management")
        let (_, fallback) = try await pilotctl(["queues"], vhost, managementURL: "http://127.0.0.1:\(freeLoopbackPort())")
        #expect(fallback.contains("source: AMQP passive declares"))
        #expect(fallback.contains("pilot.stage.monitoring.dead"))

        let (purged, purgeOutput) = try await pilotctl(["dlq", "purge", "monitoring", "--yes"], vhost)
        #expect(purged == 0 && purgeOutput.contains("purged 1"))

        let (_, trace) = try await pilotctl(["pilot", "trace", "late"], vhost)
        for type in ["pilot.requested", "pilot.agreement.generated", "pilot.signed"] { #expect(trace.contains(type)) }
        let (_, show) = try await pilotctl(["pilot", "show", "late"], vhost)
        #expect(!show.isEmpty)
        #expect(show.contains("status active"))
        #expect(show.contains("threads/sales/late/kickoff-invite.ics"))
    }

    @Test func topologyApplySetsThePoliciesTheBrokerEnforces() async throws {
        let vhost = try await TestBroker.shared.makeVirtualHost("ops")
        defer { Task { await vhost.delete() } }
        let (refused, refusal) = try await pilotctl(
            ["topology", "apply"], vhost, managementURL: "http://127.0.0.1:\(freeLoopbackPort())")
        #expect(refused == 1)
        #expect(refusal.contains("policy pilot-stage-agreement was not set") && !refusal.contains("Usage:"))

        let (status, output) = try await pilotctl(["topology", "apply"], vhost)
        #expect(status == 0, "\(output)")
        #expect(output.contains("set 5 policies"))
        let broker = vhost.broker
        var effective: JSONValue?
        try await waitUntil("the kickoff queue's effective policy", timeout: .seconds(20)) {
            let queue = try JSONValue(parsing: Array(try await broker.management("GET", "/api/queues/\(vhost.name)/pilot.stage.kickoff", body: nil)))
            effective = queue["effective_policy_definition"]
            return effective?["delivery-limit"] != nil
        }
        #expect(effective?["delivery-limit"] == 50)
        #expect(effective?["dead-letter-routing-key"] == "pilot.stage.kickoff.dead")
        let live = try JSONValue(parsing: Array(try await broker.management("GET", "/api/definitions/\(vhost.name)", body: nil)))
        let exported = Topology().definitions(vhost: vhost.name)
        let names = { (document: JSONValue) in Set((document["policies"]?.array ?? []).compactMap { $0["name"]?.string }) }
        #expect(names(live) == names(exported))
        for policy in exported["policies"]?.array ?? [] {
            let match = live["policies"]?.array?.first { $0["name"] == policy["name"] }
            #expect(match?["definition"] == policy["definition"] && match?["pattern"] == policy["pattern"])
        }

        // A message returned again and again (a worker that crashes on it) ends in .dead.
        let probe = try QueueProbe(url: vhost.url)
        try probe.connection.publish(
            exchange: "", routingKey: "pilot.stage.kickoff",
            properties: AMQPProperties(contentType: "application/cloudevents+json", messageID: "crasher"), body: Array("{}".utf8))
        try probe.connection.waitForConfirms()
        var returns = 0
        while let delivery = try probe.connection.get(queue: "pilot.stage.kickoff"), returns <= 60 {
            try probe.connection.nack(delivery.deliveryTag, multiple: false, requeue: true)
            returns += 1
        }
        try await waitUntil("1 dead letter in pilot.stage.kickoff.dead") { try probe.depth("pilot.stage.kickoff.dead") == 1 }
        #expect(returns == Topology.deliveryLimit + 1)
        let (_, list) = try await pilotctl(["dlq", "list", "kickoff"], vhost)
        #expect(list.contains("delivery_limit") && list.contains("crasher"), "\(list)")
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

}
