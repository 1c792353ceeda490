import Foundation
import PilotAMQP
import PilotJSON
import PilotRuntime
import PilotStageAPI
import PilotStore
import PilotTestKit
import Synchronization
import Testing

/// Three workers sharing one workspace and store run many short pilots while a random
/// worker is killed with SIGKILL every few seconds and restarted, and the broker is
/// stopped and started once. Afterwards every pilot must have finished with exactly one
/// outcome, every document, no dead letter, nothing unacked and no outbox backlog.
///
/// CI runs it with `PILOT_CHAOS_PILOTS` (default 40); `Tests/chaos/run.sh` runs 500.
/// With `PILOT_CHAOS_FAULTS=0` nothing is killed: `Benchmarks/rehearsal.sh` uses that to
/// time thousands of 30-day pilots (`PILOT_CHAOS_DAYS`, `PILOT_CHAOS_DAY_SECONDS`,
/// `PILOT_CHAOS_WORKERS`) on release binaries.
@Suite(.serialized, .live) struct ChaosTests {
    static func setting(_ name: String) -> String? { ProcessInfo.processInfo.environment["PILOT_CHAOS_" + name] }
    static let pilots = Int(setting("PILOTS") ?? "") ?? 40
    static let days = Int(setting("DAYS") ?? "") ?? 14
    static let daySeconds = Double(setting("DAY_SECONDS") ?? "") ?? 0.5
    static let workerCount = Int(setting("WORKERS") ?? "") ?? 3
    static let faults = setting("FAULTS") != "0"
    /// Workers with nothing but the broker, workspace and day length set: the defaults, or
    /// what the caller's own `PILOT_*` variables say (`Benchmarks/rehearsal.sh`).
    static let plain = setting("PLAIN") == "1"
    static let killEvery: Duration = .seconds(3)

    static let documents = [
        "pilot-agreement-custom.md", "kickoff-invite.ics", "kickoff-invite.eml", "pilot-results.md", "results-email.eml",
        "outcome.json",
    ] + (1...days).map { String(format: "monitoring/day-%02d.json", $0) }
        + (1...(days / 7)).map { "progress-week-\($0).md" }

    /// What the run saw, printed the way RabbitMQ's Jepsen checker reports its counts.
    struct Counts: CustomStringConvertible {
        var pilots = 0
        var sent = 0
        var acknowledged = 0
        var unhandled: [String] = []
        var finished = 0
        var lost: [String] = []
        var duplicated: [String] = []
        var copies = 0
        var kills = 0
        var seconds = 0.0
        var handled = 0
        var deadLetters = 0
        var deadReasons: [String: Int] = [:]
        var leftInQueues = 0
        var outboxBacklog = 0
        var missingDocuments: [String] = []
        var strayFiles: [String] = []

        var description: String {
            """
            chaos: \(pilots) pilots of \(ChaosTests.days) days, \(kills) workers killed with SIGKILL, broker restarted \(ChaosTests.faults ? "once" : "never")
              time: \(String(format: "%.1f", seconds)) s, \(handled) events handled (\(String(format: "%.0f", Double(handled) / max(seconds, 0.001))) a second)
              sent: \(sent) upstream publishes (re-sends included), acknowledged (confirmed by the broker): \(acknowledged)
              confirmed but never handled (not in any inbox): \(unhandled.count)\(unhandled.isEmpty ? "" : " \(unhandled.prefix(10))")
              finished: \(finished) pilots with one outcome
              lost: \(lost.count)\(lost.isEmpty ? "" : " \(lost.prefix(10))")
              duplicated effects: \(duplicated.count)\(duplicated.isEmpty ? "" : " \(duplicated.prefix(10))")
              re-sent copies of one event (same id, absorbed by inboxes): \(copies)
              dead letters: \(deadLetters)\(deadReasons.isEmpty ? "" : " \(deadReasons.sorted { $0.value > $1.value }.prefix(5))"), left in queues: \(leftInQueues), outbox backlog: \(outboxBacklog)
              missing documents: \(missingDocuments.count)\(missingDocuments.isEmpty ? "" : " \(missingDocuments.prefix(10))")
              stray files: \(strayFiles.count)\(strayFiles.isEmpty ? "" : " \(strayFiles.prefix(10))")
            """
        }
    }

    /// Waits `duration` unless stopped first; false if stopped. Async: a blocking sleep
    /// would hold one of the threads every test's async code shares for the whole run.
    static func pause(_ duration: Duration, unless stop: StopSignal) async -> Bool {
        let deadline = ContinuousClock.now + duration
        while !stop.isStopped, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        return !stop.isStopped
    }

    @Test(.timeLimit(.minutes(20))) func pilotsSurviveKilledWorkersAndABrokerRestart() async throws {
        let broker = try await TestBroker.start()
        defer { broker.stop() }
        let workspace = broker.directory.appendingPathComponent("workspace")
        // The workers' own topology (their retry tiers too), to tell when they have nothing left.
        let topology = Topology(retryDelays: [.milliseconds(200), .seconds(1)], dayLength: .milliseconds(Int64(Self.daySeconds * 1000)))
        let probe = try QueueProbe(url: broker.url())
        try probe.tap("tap.kickoff", routingKeys: ["pilot.kickoff.scheduled"], topology: topology)
        try probe.tap("tap.outcome", routingKeys: ["action.create", "deal.lost"], topology: topology)
        // The pilots are signed once their kickoffs are out, which under kills and a broker
        // restart can take longer than 14 half-second days: the offer must not lapse first
        // (the signature chase has its own tests, LifecycleStoryTests).
        var environment = [
            "PILOT_AMQP_URL": broker.url(), "PILOT_WORKSPACE": workspace.path, "PILOT_DAY_SECONDS": String(Self.daySeconds),
            "PILOT_SIGNATURE_EXPIRY_DAYS": "365",
        ]
        if !Self.plain {
            // Short retries and heartbeats so kills and the broker restart heal within the test.
            environment.merge(["PILOT_RETRY_DELAYS": "200ms,1s", "PILOT_HEARTBEAT": "5", "PILOT_SHUTDOWN_TIMEOUT": "10", "PILOT_PREFETCH": "50"]) { $1 }
        }
        let started = ContinuousClock.now
        let workers = Mutex<[WorkerProcess]>(try (0..<Self.workerCount).map { _ in try WorkerProcess(environment: environment) })
        // Whatever ends the test, no worker outlives it (a graceful stop comes first below).
        defer { for worker in workers.withLock({ $0 }) where worker.isRunning { worker.signal(SIGKILL) } }
        var counts = Counts(pilots: Self.pilots)

        // Chaos: a random worker killed and restarted every few seconds, until told to stop.
        let stopChaos = StopSignal()
        defer { stopChaos.stop() }
        let kills = Atomic<Int>(0)
        let survivors = Atomic<Int>(0)
        let chaos = Task.detached {
            // The pace of the faults, not a wait for anything: a kill every few seconds.
            while Self.faults, await Self.pause(Self.killEvery, unless: stopChaos) {
                let (victim, index) = workers.withLock { workers in
                    let index = Int.random(in: 0..<workers.count)
                    return (workers[index], index)
                }
                victim.signal(SIGKILL)
                // Counted, and checked after the run: an issue recorded in a detached task
                // would not be attributed to this test.
                if (try? await victim.waitForExit(timeout: .seconds(10))) == nil { survivors.add(1, ordering: .relaxed) }
                kills.add(1, ordering: .relaxed)
                if let replacement = try? WorkerProcess(environment: environment) {
                    workers.withLock { $0[index] = replacement }
                }
                await victim.terminate()
            }
        }

        // Upstream: every request, then, as each kickoff is scheduled, the signature and the
        // pilot's metrics and feedback. Half the pilots miss their latency target.
        // `confirmedIDs`: the events the broker confirmed, each of which must be handled.
        var confirmedIDs = Set<String>()
        for first in stride(from: 0, to: Self.pilots, by: 200) {
            let requests = (first..<min(first + 200, Self.pilots)).map { PilotLifecycleTests.request("chaos-\($0)", days: Self.days) }
            try probe.publish(requests)
            confirmedIDs.formUnion(requests.map(\.id))
        }
        var signed = Set<String>()
        // Confirmed one by one; one that fails is sent again (its id makes the copy harmless).
        var pending: [CloudEvent] = []
        var outcomes: [String: Set<String>] = [:]
        func collectOutcomes() throws -> Int {
            let deliveries = try probe.takeReady(upTo: 1000, from: "tap.outcome")
            for delivery in deliveries {
                let event = try JSONValue(parsing: delivery.body)
                guard let thread = event["subject"]?.string, let id = event["id"]?.string else { continue }
                if outcomes[thread, default: []].insert(id).inserted == false { counts.copies += 1 }
            }
            return deliveries.count
        }
        func reconnectProbe() async throws {
            try await waitUntil("the probe to reconnect to the broker", timeout: .seconds(60), interval: .seconds(1)) {
                (try? probe.reconnect()) != nil
            }
        }
        var brokerRestarted = false
        // A timeout fails the test but goes on to the counts, which tell what is missing.
        do {
            try await waitUntil("an outcome for every pilot", timeout: .seconds(60 + Self.pilots * 2), interval: .milliseconds(1)) {
                var progressed = 0
                do {
                    let kickoffs = try probe.takeReady(upTo: 100, from: "tap.kickoff")
                    progressed += kickoffs.count
                    for delivery in kickoffs {
                        guard let thread = try JSONValue(parsing: delivery.body)["subject"]?.string, signed.insert(thread).inserted else { continue }
                        let index = Int(thread.dropFirst("chaos-".count)) ?? 0
                        var upstream = [PreparationFlowTests.signed(thread, id: "sig-\(thread)")]
                        upstream += (1...Self.days).map { PilotLifecycleTests.metrics(thread, day: $0, latency: index % 2 == 0 ? 210 : 420) }
                        upstream += (1...3).map { PilotLifecycleTests.feedback(thread, $0, score: 9) }
                        pending += upstream
                    }
                    while !pending.isEmpty {
                        let batch = pending.prefix(200)
                        try probe.publish(batch)
                        confirmedIDs.formUnion(batch.map(\.id))
                        pending.removeFirst(batch.count)
                    }
                    progressed += try collectOutcomes()
                    // Mid-run: once half the pilots are signed (outcomes can all arrive in one
                    // burst, so they cannot tell "mid-run" reliably). The broker stays down
                    // until every running worker has noticed (its log says it is reconnecting).
                    if Self.faults, !brokerRestarted, signed.count >= Self.pilots / 2 {
                        brokerRestarted = true
                        let running = workers.withLock { $0 }
                        let before = running.map { $0.count("reconnecting") }
                        try await broker.stopNode()
                        try await waitUntil("every running worker to notice the broker is gone", interval: .milliseconds(200)) {
                            zip(running, before).allSatisfy { worker, seen in !worker.isRunning || worker.count("reconnecting") > seen }
                        }
                        try await broker.startNode()
                        try await reconnectProbe()
                    }
                } catch is AMQPError {
                    // The probe's own connection died with the broker: reconnect and go on
                    // (publishes are confirmed one by one, so none is half done).
                    try await reconnectProbe()
                }
                if outcomes.count < Self.pilots, progressed == 0 { try await Task.sleep(for: .milliseconds(100)) }
                return outcomes.count >= Self.pilots
            }
        } catch let timedOut as WaitTimeout {
            Issue.record(timedOut)
        }
        counts.seconds = Double((ContinuousClock.now - started).milliseconds) / 1000
        counts.sent = probe.sent
        counts.acknowledged = probe.confirmed

        // Stop the chaos, let the workers drain, then stop them gracefully. Then nothing
        // more can come, proven rather than waited for: every queue the workers read or
        // that feeds them back (stages, retry tiers, day timer) was empty, the workers
        // published and acked what they held before exiting, and the stage queues are
        // still empty once the broker dropped their consumers. What the taps and the
        // queues hold after that is final.
        stopChaos.stop()
        await chaos.value
        counts.kills = kills.load(ordering: .relaxed)
        #expect(survivors.load(ordering: .relaxed) == 0, "a worker outlived SIGKILL by 10 s")
        // A fresh connection for the checks: the last broker restart may have ended the
        // old one after its last use in the loop.
        try await reconnectProbe()
        // The outbox too: rows a killed worker published but could not mark sent wait for
        // a relay's next round (every few seconds), which publishes them again.
        let inputs = topology.queues.filter { !$0.hasSuffix(".dead") }
        let store = try SQLitePilotStore(path: workspace.appendingPathComponent(".pilot/pilot.db").path)
        try await waitUntil("the workers' queues (\(inputs)) and the outbox to drain", timeout: .seconds(120), interval: .milliseconds(250)) {
            try inputs.allSatisfy { try probe.depth($0) == 0 } && store.read { try $0.pendingOutboxCount() } == 0
        }
        let running = workers.withLock { $0 }
        // A replacement started by the last kill may still be starting, and a SIGTERM that
        // comes before its signal handling is set up kills it outright.
        try await waitUntil("every worker to have started") { running.allSatisfy { $0.count("worker started") >= 1 } }
        for worker in running { worker.signal(SIGTERM) }
        for worker in running {
            let status = try await worker.waitForExit()
            #expect(status == 0, "a worker did not stop gracefully: exit \(status); its log ends with:\n\(worker.log.suffix(2000))")
            await worker.terminate()
        }
        for stage in Stage.all { counts.leftInQueues += try await probe.settledDepth(stage.queue) }
        for queue in inputs { counts.leftInQueues += try probe.depth(queue) }
        _ = try collectOutcomes()

        let threads = (0..<Self.pilots).map { "chaos-\($0)" }
        counts.finished = threads.filter { outcomes[$0]?.count == 1 }.count
        counts.lost = threads.filter { outcomes[$0] == nil }
        counts.duplicated = threads.filter { (outcomes[$0]?.count ?? 0) > 1 }
        for queue in topology.queues where queue.hasSuffix(".dead") {
            counts.deadLetters += try probe.depth(queue)
            for letter in try probe.takeReady(upTo: 1000, from: queue) {
                let reason = letter.properties.header(Header.errorReason)?.stringValue ?? "?"
                let detail = letter.properties.header(Header.errorDetail)?.stringValue ?? ""
                counts.deadReasons["\(queue) \(reason): \(detail.prefix(90))", default: 0] += 1
            }
        }
        counts.outboxBacklog = try store.read { try $0.pendingOutboxCount() }
        let sales = workspace.appendingPathComponent("threads/sales")
        for thread in threads {
            for document in Self.documents where !FileManager.default.fileExists(atPath: sales.appendingPathComponent("\(thread)/\(document)").path) {
                counts.missingDocuments.append("\(thread)/\(document)")
            }
        }
        let enumerator = FileManager.default.enumerator(atPath: sales.path)
        while let path = enumerator?.nextObject() as? String {
            if path.hasSuffix(".tmp") { counts.strayFiles.append(path) }
        }
        // Each tick of each day handled exactly once, whatever was redelivered.
        let ticks = try store.read { reader in
            try threads.map { thread in TickChains(try reader.handledEvents(threadID: thread), signature: "sig-\(thread)") }
        }

        let inboxes = try store.read { reader in try threads.map { try reader.handledEvents(threadID: $0) } }
        counts.handled = inboxes.reduce(0) { $0 + $1.count }
        let handledIDs = Set(inboxes.joined().map(\.eventID))
        counts.unhandled = confirmedIDs.subtracting(handledIDs).sorted()
        print(counts)
        #expect(counts.lost.isEmpty)
        #expect(counts.unhandled.isEmpty)
        #expect(counts.acknowledged >= confirmedIDs.count)
        #expect(counts.duplicated.isEmpty)
        #expect(counts.finished == Self.pilots)
        #expect(counts.deadLetters == 0)
        #expect(counts.leftInQueues == 0)
        #expect(counts.outboxBacklog == 0)
        #expect(counts.missingDocuments.isEmpty)
        #expect(counts.strayFiles.isEmpty)
        #expect(ticks.allSatisfy { $0.daily.count == Self.days }, "daily ticks per pilot: \(Set(ticks.map(\.daily.count)))")
        #expect(ticks.allSatisfy { $0.stray.isEmpty }, "ticks outside the daily chain and the signature chase")
        #expect(counts.kills >= 1 || !Self.faults)
    }
}
