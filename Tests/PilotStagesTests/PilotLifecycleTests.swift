import Foundation
import PilotJSON
import PilotRuntime
import PilotStageAPI
import PilotStore
import PilotTestKit
import Testing

/// Whole pilots on a real broker with one-second days: a 14-day pilot that succeeds, a
/// 30-day pilot that misses a required target, and a 30-day pilot sunk by an unresolved
/// critical issue, with the worker restarted mid-pilot.
@Suite(.serialized, .live) struct PilotLifecycleTests {
    static let taps = ["pilot.completed", "action.create", "deal.lost", "actions.skip_remaining", "report.weekly", "alert.raised"]

    static func request(_ thread: String, days: Int) -> CloudEvent {
        TestEvents.request(thread, days: days)
    }

    static func metrics(_ thread: String, day: Int, latency: Double) -> CloudEvent {
        TestEvents.make(type: "pilot.metrics", subject: thread, id: "m-\(thread)-\(day)", data: [
            "day": .int(Int64(day)),
            "technical": ["latency_p95_ms": .double(latency), "accuracy_pct": 97.2, "uptime_pct": 99.9, "error_rate_pct": 0.4, "requests": 15000],
            "business": ["active_users": 12, "hours_saved": 2.5, "tasks_completed": 40],
        ])
    }

    static func feedback(_ thread: String, _ index: Int, score: Int) -> CloudEvent {
        TestEvents.make(type: "pilot.feedback", subject: thread, id: "f-\(thread)-\(index)", data: [
            "respondent": ["name": .string("User \(index)"), "email": .string("user\(index)@acme-analytics.com")],
            "score": .int(Int64(score)), "comment": "Saves our Mondays.", "submitted_at": "2026-12-05T10:00:00Z",
        ])
    }

    @Test(.timeLimit(.minutes(3))) func pilotsRunToSalesCloseOrDealLost() async throws {
        let vhost = try await TestBroker.shared.makeVirtualHost("life")
        defer { Task { await vhost.delete() } }
        let probe = try QueueProbe(url: vhost.url)
        // The worker's own topology (its retry tier too), to tell when it has nothing left.
        let topology = Topology(retryDelays: [.milliseconds(200)], dayLength: .seconds(1))
        try probe.tap("tap.life", routingKeys: Self.taps, topology: topology)
        try probe.tap("tap.kickoff", routingKeys: ["pilot.kickoff.scheduled"], topology: topology)
        let environment = [
            "PILOT_AMQP_URL": vhost.url, "PILOT_WORKSPACE": vhost.workspace.path, "PILOT_DAY_SECONDS": "1",
            "PILOT_RETRY_DELAYS": "200ms",
            // Signed once the kickoffs are out, which on a busy machine may take more than 14 one-second days.
            "PILOT_SIGNATURE_EXPIRY_DAYS": "60",
        ]
        let first = try WorkerProcess(environment: environment)

        let pilots = [("wins-14", 14, 210.0), ("slow-30", 30, 420.0), ("critical-30", 30, 210.0)]
        // Upstream is a pika client, as the CRM and the lead's systems would be.
        try PreparationFlowTests.publishWithPika(pilots.map { Self.request($0.0, days: $0.1) }, vhost: vhost)
        // A pilot can be signed once its kickoff is scheduled.
        _ = try await probe.take(pilots.count, from: "tap.kickoff")
        // The signature, then everything the lead's systems send over the pilot: the
        // monitoring queue takes them in order, and the timer evaluates day by day.
        var upstream = pilots.map { PreparationFlowTests.signed($0.0, id: "sig-\($0.0)") }
        for (thread, days, latency) in pilots {
            upstream += (1...days).map { Self.metrics(thread, day: $0, latency: latency) }
            upstream += (1...3).map { Self.feedback(thread, $0, score: $0 == 3 ? 8 : 10) }
        }
        upstream.append(TestEvents.make(type: "pilot.issue", subject: "critical-30", id: "issue-1", data: [
            "issue_id": "SUP-1", "title": "Data loss in nightly sync", "severity": "critical", "status": "open",
            "reported_at": "2026-12-02T09:00:00Z",
        ]))
        try PreparationFlowTests.publishWithPika(upstream, vhost: vhost)

        var events: [String: [JSONValue]] = [:]
        func collect() throws {
            for delivery in try probe.takeReady(upTo: 200, from: "tap.life") {
                events[delivery.routingKey, default: []].append(try JSONValue(parsing: delivery.body))
            }
        }

        // A restart mid-pilot must not lose or double a tick: once the first weekly report
        // is out (day 7 of 14 and of 30), the worker is stopped and another takes over.
        try await waitUntil("the first weekly report", timeout: .seconds(60)) {
            try collect()
            return events["report.weekly"] != nil
        }
        first.signal(SIGTERM)
        #expect(try await first.waitForExit() == 0)
        await first.terminate()
        let worker = try WorkerProcess(environment: environment)
        defer { Task { await worker.terminate() } }

        func count(_ type: String, _ thread: String) -> Int { (events[type] ?? []).filter { $0["subject"]?.string == thread }.count }
        try await waitUntil("every pilot's completion, next action and weekly reports", timeout: .seconds(120), interval: .milliseconds(500)) {
            try collect()
            return pilots.allSatisfy { thread, days, _ in
                count("pilot.completed", thread) >= 1 && count("action.create", thread) + count("deal.lost", thread) >= 1
                    && count("report.weekly", thread) >= days / 7
            }
        }
        // Then nothing more can come, proven rather than waited for: every queue the
        // worker reads or that feeds it back (stages, retry tier, day timer) is empty; the
        // worker then stops gracefully (it publishes and acks what it holds first), and the
        // stage queues are still empty once the broker dropped its consumers. With no
        // producer and no input left, what the tap holds now is all there will ever be.
        let inputs = topology.queues.filter { !$0.hasSuffix(".dead") }
        try await waitUntil("the worker's queues to drain (\(inputs))", interval: .milliseconds(250)) {
            try inputs.allSatisfy { try probe.depth($0) == 0 }
        }
        worker.signal(SIGTERM)
        #expect(try await worker.waitForExit() == 0)
        for stage in Stage.all { #expect(try await probe.settledDepth(stage.queue) == 0, "\(stage.queue) after the stop") }
        for queue in inputs { #expect(try probe.depth(queue) == 0, "\(queue) after the stop") }
        try collect()
        func by(_ type: String, _ thread: String) -> [JSONValue] { (events[type] ?? []).filter { $0["subject"]?.string == thread } }

        let won = try #require(by("pilot.completed", "wins-14").first?["data"])
        #expect(won["status"] == "SUCCESS")
        #expect(won["next_action"] == "sales:close")
        #expect(by("action.create", "wins-14").count == 1)
        #expect(by("action.create", "wins-14").first?["data"]?["human_required"] == true)
        #expect(by("deal.lost", "wins-14").isEmpty)

        let slow = try #require(by("pilot.completed", "slow-30").first?["data"])
        #expect(slow["status"] == "FAILED")
        let slowLost = try #require(by("deal.lost", "slow-30").first?["data"])
        #expect(slowLost["reason"] == "pilot_failed")
        #expect(slowLost["failure_reasons"]?.array?.contains { $0.string?.contains("latency") == true } == true)
        #expect(by("actions.skip_remaining", "slow-30").count == 1)

        let critical = try #require(by("deal.lost", "critical-30").first?["data"])
        #expect(critical["failure_reasons"]?.array?.contains { $0.string?.contains("Data loss in nightly sync") == true } == true)

        for (thread, days, _) in pilots {
            #expect(by("pilot.completed", thread).count == 1, "exactly one completion for \(thread)")
            #expect(by("action.create", thread).count + by("deal.lost", thread).count == 1, "one next action for \(thread)")
            #expect(by("report.weekly", thread).count == days / 7, "a weekly report every 7th day for \(thread)")
            let folder = vhost.workspace.appendingPathComponent("threads/sales/\(thread)")
            for day in 1...days {
                #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(String(format: "monitoring/day-%02d.json", day)).path))
            }
            for name in ["pilot-results.md", "results-email.eml", "outcome.json", "progress-week-1.md", "progress-week-2.md"] {
                #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path), "\(thread)/\(name)")
            }
        }
        let store = try SQLitePilotStore(path: vhost.workspace.appendingPathComponent(".pilot/pilot.db").path)
        let ticks = TickChains(try store.read { try $0.handledEvents(threadID: "slow-30") }, signature: "sig-slow-30")
        #expect(ticks.daily.count == 30, "every tick handled exactly once across the restart")
        #expect(ticks.stray.isEmpty, "no tick outside the daily chain and the signature chase")
        let results = try String(contentsOf: vhost.workspace.appendingPathComponent("threads/sales/wins-14/pilot-results.md"), encoding: .utf8)
        #expect(results.contains("SUCCESS"))
        #expect(results.contains("ROI"))

        // One command tells where a pilot is and how its criteria stand.
        let tool = try WorkerProcess("pilotctl", arguments: ["pilot", "show", "slow-30"], environment: ["PILOT_WORKSPACE": vhost.workspace.path])
        #expect(try await tool.waitForExit() == 0)
        let show = tool.log
        await tool.terminate()
        #expect(show.contains("status lost"))
        #expect(show.contains("day 30 of 30"), "\(show)")
        #expect(show.contains("latency_p95_ms <= 300  actual 420  not met yet") || show.contains("latency_p95_ms <= 300  actual 420  AT RISK"), "\(show)")
        // The health score and its reasons: the latency at risk fails the pilot, so it costs 20 points.
        #expect(show.contains("health ") && show.contains("/100 (") && show.contains("on day 30"), "\(show)")
        #expect(show.contains("  - p95 latency averages 420 ms") && show.contains("(−20 points"), "\(show)")
    }
}
