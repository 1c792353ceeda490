import Foundation
import PilotAMQP
import PilotJSON
import PilotRuntime
import PilotTestKit
import Testing

/// The worker process against a real RabbitMQ, driven as upstream systems would.
/// Each test gets its own virtual host on the shared test broker.
@Suite(.serialized, .live) struct WorkerIntegrationTests {
    static let fastRetries = "200ms,400ms"

    /// One consumer (whatever the default becomes): "nothing more arrived" is proven with
    /// a sentinel event (see `expectNothingMoreThan`), which needs one consumer's order.
    func startWorker(_ vhost: VirtualHost, _ extra: [String: String] = [:]) throws -> WorkerProcess {
        try WorkerProcess(environment: [
            "PILOT_AMQP_URL": vhost.url, "PILOT_WORKSPACE": vhost.workspace.path,
            "PILOT_STAGES": "agreement", "PILOT_HANDLER": "echo", "PILOT_RETRY_DELAYS": Self.fastRetries,
            "PILOT_MAX_ATTEMPTS": "3", "PILOT_SHUTDOWN_TIMEOUT": "10", "PILOT_LOG_LEVEL": "debug", "PILOT_CONCURRENCY": "1",
        ].merging(extra) { $1 })
    }

    func withWorld(_ body: (VirtualHost, QueueProbe) async throws -> Void) async throws {
        let vhost = try await TestBroker.shared.makeVirtualHost()
        defer { Task { await vhost.delete() } }
        let probe = try QueueProbe(url: vhost.url)
        try probe.tap("tap.echoed", routingKeys: ["pilot.echoed"], topology: Topology(retryDelays: [.milliseconds(200), .milliseconds(400)]))
        try await body(vhost, probe)
    }

    func causes(_ deliveries: [AMQPDelivery]) throws -> [String] {
        try deliveries.map { try JSONValue(parsing: $0.body)["causationid"]?.string ?? "" }
    }

    /// Proves that no further echo follows the ones already taken, without waiting for
    /// "long enough": a sentinel event goes through the same queue and the same single
    /// consumer, which handles deliveries in queue order and publishes their echoes in
    /// order on one channel into one tap queue. So once the sentinel's echo is the next
    /// message in the tap, anything an earlier delivery caused would have come before it.
    func expectNothingMoreThan(_ probe: QueueProbe, sentinel: String) async throws {
        try probe.publish(TestEvents.request(id: sentinel))
        let next = try await probe.take(1, from: "tap.echoed")
        #expect(try causes(next) == [sentinel], "an echo arrived before the sentinel's")
        #expect(try probe.depth("tap.echoed") == 0)
    }

    /// A worker of one stage declares the queues of every stage: on a fresh vhost the
    /// event it publishes for the next stage waits in that stage's queue before any of its
    /// workers has started. (Published before that queue existed, it was confirmed and lost.)
    @Test func aWorkerOfOneStageDeclaresTheQueueOfTheStageItFeeds() async throws {
        let vhost = try await TestBroker.shared.makeVirtualHost()
        defer { Task { await vhost.delete() } }
        let worker = try startWorker(vhost, ["PILOT_HANDLER": "stages"])
        defer { Task { await worker.terminate() } }
        try await worker.waitForLog("consuming")
        let probe = try QueueProbe(url: vhost.url)
        let request = TestEvents.request(id: "feeds-the-kickoff")
        try probe.publish(request)
        let generated = try await worker.explaining { try await probe.take(1, from: "pilot.stage.kickoff") }
        #expect(generated.map(\.properties.type) == ["pilot.agreement.generated"])
        #expect(try causes(generated) == [request.id])
    }

    @Test func roundTripAcksAfterPublishing() async throws {
        try await withWorld { vhost, probe in
            let port = freeLoopbackPort()
            let worker = try startWorker(vhost, ["PILOT_METRICS_PORT": String(port), "PILOT_METRICS_HOST": "127.0.0.1"])
            defer { Task { await worker.terminate() } }
            let events = (0..<20).map { TestEvents.request(id: "evt-\($0)") }
            for event in events { try probe.publish(event) }
            let echoed = try await probe.take(20, from: "tap.echoed")
            #expect(echoed.count == 20)
            #expect(Set(try causes(echoed)) == Set(events.map(\.id)))
            #expect(echoed.allSatisfy { $0.properties.contentType == "application/cloudevents+json" && $0.properties.persistent })

            // The ready count alone leaves out delivered-but-unacked messages. So: wait
            // until the worker says it acked all 20, kill it with SIGKILL (no goodbye, no
            // late ack), and wait for the broker to drop its consumer; the broker returns a
            // dead consumer's unacked messages to ready in that same step, so a ready
            // count of 0 then means 0 ready and 0 unacked: the acks really reached it.
            let acked = #"pilot_acked_total{stage="agreement"}"#
            try await worker.explaining {
                try await waitUntil("the worker's \(acked) to reach 20") {
                    await HTTPProbe.metrics("http://127.0.0.1:\(port)/metrics")?[acked] == 20
                }
            }
            worker.signal(SIGKILL)
            #expect(try await worker.waitForExit() == 137)
            #expect(try await probe.settledDepth("pilot.stage.agreement") == 0, "every delivery was acked")
        }
    }

    @Test func duplicateDeliveriesHaveOneEffect() async throws {
        try await withWorld { vhost, probe in
            let worker = try startWorker(vhost)
            defer { Task { await worker.terminate() } }
            let twice = TestEvents.request(id: "published-twice")
            try probe.publish(twice)
            try probe.publish(TestEvents.request(id: "once"))
            try probe.publish(twice)
            let echoed = try await probe.take(2, from: "tap.echoed")
            #expect(Set(try causes(echoed)) == ["published-twice", "once"])
            try await worker.waitForLog("duplicate delivery ignored")
            try await expectNothingMoreThan(probe, sentinel: "after-the-duplicate")
        }
    }

    @Test func crashBetweenCommitAndAckPublishesOnceAfterRestart() async throws {
        try await withWorld { vhost, probe in
            let crashing = try startWorker(vhost, ["PILOT_FAILPOINT": "crash-after-commit"])
            try probe.publish(TestEvents.request(id: "crash-victim"))
            #expect(try await crashing.waitForExit() == 137)
            #expect(crashing.log.contains("failpoint crash-after-commit"))
            await crashing.terminate()
            #expect(try probe.depth("tap.echoed") == 0)

            let second = try startWorker(vhost)
            defer { Task { await second.terminate() } }
            let echoed = try await probe.take(1, from: "tap.echoed")
            #expect(try causes(echoed) == ["crash-victim"])
            try await second.waitForLog("duplicate delivery ignored")
            // The relay logs this after it published the leftover rows, so its copies are
            // in the tap before the sentinel is even sent.
            try await second.waitForLog("published outbox rows left unsent")
            try await expectNothingMoreThan(probe, sentinel: "after-the-crash")
        }
    }

    @Test func jsonLogLinesCarryTheEventContext() async throws {
        try await withWorld { vhost, probe in
            let worker = try startWorker(vhost, ["PILOT_LOG_FORMAT": "json"])
            defer { Task { await worker.terminate() } }
            try probe.publish(TestEvents.request(subject: "globex-7", id: "logged-event"))
            try await worker.waitForLog("\"handled\"")
            let lines = worker.log.split(separator: "\n").map { try? JSONValue(parsing: String($0)) }
            #expect(lines.allSatisfy { $0 != nil }, "every line is JSON")
            let handled = try #require(lines.compactMap { $0 }.first { $0["msg"] == "handled" })
            #expect(handled["thread_id"] == "globex-7")
            #expect(handled["event_id"] == "logged-event")
            #expect(handled["stage"] == "agreement")
            #expect(handled["level"] == "debug")
            #expect(!worker.log.contains("guest:guest"))
        }
    }

    @Test func badInputGoesToTheDeadQueueAndTheWorkerLivesOn() async throws {
        try await withWorld { vhost, probe in
            let worker = try startWorker(vhost, ["PILOT_MAX_BODY_BYTES": "4096"])
            defer { Task { await worker.terminate() } }
            try probe.publishRaw(Array("{not json".utf8), routingKey: "pilot.requested")
            try probe.publishRaw(Array(#"{"hello":"world"}"#.utf8), routingKey: "pilot.requested")
            try probe.publishRaw(Array(repeating: UInt8(ascii: " "), count: 5000) + Array("{}".utf8), routingKey: "pilot.requested")
            try probe.connection.publish(Publication(event: TestEvents.make(type: "pilot.unknown"), timestamp: 0).with(routingKey: "pilot.requested"))
            try probe.connection.waitForConfirms()
            try probe.publish(TestEvents.make(id: "empty-request", data: [:]))
            try probe.publish(TestEvents.request(id: "valid-after-bad"))

            let dead = try await probe.take(5, from: "pilot.stage.agreement.dead")
            let reasons = dead.compactMap { $0.properties.header("x-error-reason")?.stringValue }
            #expect(reasons.sorted() == ["invalid_envelope", "malformed_json", "schema_violation", "too_large", "unknown_type"])
            let violation = dead.first { $0.properties.header("x-error-reason") == .string("schema_violation") }
            #expect(violation?.properties.header("x-error-detail")?.stringValue?.contains("/data: missing required property") == true)
            for letter in dead {
                #expect(letter.properties.header("x-attempts") == .int(1))
                #expect(letter.properties.header("x-original-routing-key") == .string("pilot.requested"))
                #expect(letter.properties.header("x-first-failed-at") != nil)
                #expect(letter.properties.header("x-error-detail")?.stringValue?.isEmpty == false)
            }
            #expect(dead.first { $0.properties.header("x-error-reason") == .string("malformed_json") }?.body == Array("{not json".utf8))
            let echoed = try await probe.take(1, from: "tap.echoed")
            #expect(echoed.count == 1)
            #expect(worker.isRunning)
        }
    }

    /// A dead letter must reach its dead queue. Were the queue gone, the broker would
    /// confirm the dead letter all the same and drop it, and the worker would ack the
    /// delivery: lost. Published mandatory, it comes back, the delivery is not acked, and
    /// the worker reconnects, declares its queues again and dead-letters it there.
    @Test func aDeadLetterWhoseQueueIsGoneComesBackInsteadOfBeingLost() async throws {
        try await withWorld { vhost, probe in
            let worker = try startWorker(vhost)
            defer { Task { await worker.terminate() } }
            // Handled once: the worker has declared its topology and consumes.
            try probe.publish(TestEvents.request(id: "before"))
            _ = try await probe.take(1, from: "tap.echoed")
            let deadQueue = "/api/queues/\(vhost.name)/pilot.stage.agreement.dead"
            try await vhost.broker.management("DELETE", deadQueue, body: nil)

            try probe.publishRaw(Array("{not json".utf8), routingKey: "pilot.requested")
            try await waitUntil("the worker to declare its dead queue again", timeout: .seconds(60), interval: .milliseconds(100)) {
                (try? await vhost.broker.management("GET", deadQueue, body: nil)) != nil
            }
            let dead = try await probe.take(1, from: "pilot.stage.agreement.dead")
            #expect(dead.first?.body == Array("{not json".utf8))
            #expect(dead.first?.properties.header("x-error-reason") == .string("malformed_json"))
            #expect(worker.isRunning)
        }
    }

    @Test func failingHandlerIsRetriedWithBackoffThenDeadLettered() async throws {
        try await withWorld { vhost, probe in
            let worker = try startWorker(vhost)
            defer { Task { await worker.terminate() } }
            try probe.publish(TestEvents.request(id: "fails-twice", extensions: ["echofailattempts": 2]))
            try probe.publish(TestEvents.request(id: "always-fails", extensions: ["echofailattempts": 99]))

            let echoed = try await probe.take(1, from: "tap.echoed")
            let body = try JSONValue(parsing: try #require(echoed.first).body)
            #expect(body["causationid"] == "fails-twice")
            #expect(body["data"]?["attempt"] == 3)

            let dead = try await probe.take(1, from: "pilot.stage.agreement.dead")
            let letter = try #require(dead.first)
            #expect(letter.properties.messageID != nil)
            #expect(letter.properties.header("x-error-reason") == .string("handler_failed"))
            #expect(letter.properties.header("x-attempts") == .int(3))
            #expect(letter.properties.header("x-original-routing-key") == .string("pilot.requested"))
            #expect(try JSONValue(parsing: letter.body)["id"] == "always-fails")
            #expect(worker.log.contains("will retry"))
        }
    }

    @Test func workerKilledMidHandlerRedeliversAndHandlesOnce() async throws {
        try await withWorld { vhost, probe in
            // The failpoint blocks the consumer after the handler ran and before the batch
            // commits, and says so in the log: the kill lands inside the handling, known.
            let first = try startWorker(vhost, ["PILOT_FAILPOINT": "pause-in-handler", "PILOT_LOG_FORMAT": "json"])
            try probe.publish(TestEvents.request(id: "slow"))
            try await first.waitForLog("failpoint pause-in-handler reached")
            let paused = first.log.split(separator: "\n").compactMap { try? JSONValue(parsing: String($0)) }
                .first { $0["msg"] == "failpoint pause-in-handler reached" }
            #expect(paused?["event_id"] == "slow")
            #expect(paused?["level"] == "critical")
            first.signal(SIGKILL)
            #expect(try await first.waitForExit() == 137)
            await first.terminate()
            #expect(try probe.depth("tap.echoed") == 0, "nothing is published before the commit")

            let second = try startWorker(vhost)
            defer { Task { await second.terminate() } }
            let echoed = try await probe.take(1, from: "tap.echoed")
            #expect(try causes(echoed) == ["slow"])
            try await expectNothingMoreThan(probe, sentinel: "after-the-kill")
            // Nothing of the killed handling was committed: the redelivery is handled
            // afresh, not absorbed as a duplicate.
            #expect(second.count("duplicate delivery ignored") == 0)
        }
    }

    @Test func sigtermFinishesInFlightWorkAndExitsZero() async throws {
        try await withWorld { vhost, probe in
            let worker = try startWorker(vhost, ["PILOT_PREFETCH": "10"])
            let ids = (0..<30).map { "term-\($0)" }
            for id in ids { try probe.publish(TestEvents.request(id: id, extensions: ["echodelayms": 100])) }
            try await worker.waitForLog("handled", count: 3)
            worker.signal(SIGTERM)
            #expect(try await worker.waitForExit(timeout: .seconds(20)) == 0)
            #expect(worker.log.contains("worker stopped"))
            await worker.terminate()

            let second = try startWorker(vhost)
            defer { Task { await second.terminate() } }
            let echoed = try await probe.take(30, from: "tap.echoed")
            let causes = try echoed.map { try JSONValue(parsing: $0.body)["causationid"]?.string ?? "" }
            #expect(Set(causes) == Set(ids))
            #expect(causes.count == 30)
        }
    }
}

extension Publication {
    func with(routingKey: String) -> Publication {
        var copy = self
        copy.routingKey = routingKey
        return copy
    }
}
