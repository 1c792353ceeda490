import Foundation
import PilotAMQP
import PilotJSON
import PilotRuntime
import PilotStageAPI
import PilotStore
import PilotTestKit
import Testing

/// The preparation half of `sales:pilot` on a real broker with real worker processes:
/// request → agreement → kickoff → signature or decline, plus duplicates, crashes and
/// events in the wrong state.
@Suite(.serialized, .live) struct PreparationFlowTests {
    static let outbound = [
        "pilot.agreement.generated", "crm.update", "calendar.invite", "email.send", "pilot.kickoff.scheduled", "deal.lost",
    ]

    struct World {
        let vhost: VirtualHost
        let probe: QueueProbe
        var threads: URL { vhost.workspace.appendingPathComponent("threads/sales") }

        func worker(_ extra: [String: String] = [:]) throws -> WorkerProcess {
            try WorkerProcess(environment: [
                "PILOT_AMQP_URL": vhost.url, "PILOT_WORKSPACE": vhost.workspace.path, "PILOT_LOG_LEVEL": "debug",
                "PILOT_STAGES": "agreement,kickoff,monitoring", "PILOT_RETRY_DELAYS": "200ms",
                // One consumer per stage: the sentinels below rely on its order.
                "PILOT_CONCURRENCY": "1",
            ].merging(extra) { $1 })
        }

        /// Outbound events seen on the tap, by type.
        func take(_ count: Int, timeout: Duration = .seconds(30)) async throws -> [String: [JSONValue]] {
            let deliveries = try await probe.take(count, from: "tap.out", timeout: timeout)
            var byType: [String: [JSONValue]] = [:]
            for delivery in deliveries { byType[delivery.routingKey, default: []].append(try JSONValue(parsing: delivery.body)) }
            return byType
        }

        func file(_ thread: String, _ name: String) -> String? {
            try? String(contentsOf: threads.appendingPathComponent("\(thread)/\(name)"), encoding: .utf8)
        }

        func publishWithPika(_ event: CloudEvent) throws {
            try PreparationFlowTests.publishWithPika([event], vhost: vhost)
        }
    }

    /// Publishes events in order with Python's pika, as an upstream system would.
    static func publishWithPika(_ events: [CloudEvent], vhost: VirtualHost) throws {
        let folder = vhost.workspace.appendingPathComponent("upstream-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var files: [String] = []
        for (index, event) in events.enumerated() {
            let file = folder.appendingPathComponent(String(format: "%05d.json", index))
            try Data(event.document.serializedBytes()).write(to: file)
            files.append(file.path)
        }
        try shell(["python3", packageRoot.appendingPathComponent("Tests/PilotStagesTests/python/publish_event.py").path, vhost.url] + files)
    }

    func withWorld(_ body: (World) async throws -> Void) async throws {
        let vhost = try await TestBroker.shared.makeVirtualHost("prep")
        defer { Task { await vhost.delete() } }
        let probe = try QueueProbe(url: vhost.url)
        try probe.tap("tap.out", routingKeys: Self.outbound)
        try await body(World(vhost: vhost, probe: probe))
    }

    static func signed(_ thread: String, id: String, amendments: JSONValue? = nil) -> CloudEvent {
        let base: JSONValue = [
            "signed_at": "2026-11-27T16:00:00Z", "signed_by": ["name": "Dana Whitfield", "email": "dana@acme-analytics.com"],
            "method": "docusign", "start_date": "2026-12-01",
        ]
        var data = base.object!
        if let amendments { data["amendments"] = amendments }
        return TestEvents.make(type: "pilot.signed", subject: thread, id: id, data: .object(data))
    }

    @Test func requestBecomesAgreementAndKickoffWithRealDocuments() async throws {
        try await withWorld { world in
            let worker = try world.worker()
            defer { Task { await worker.terminate() } }
            try world.publishWithPika(TestEvents.request(subject: "acme-2026-11", id: "req-1"))
            let events = try await world.take(6)
            #expect(events["pilot.agreement.generated"]?.count == 1)
            #expect(events["crm.update"]?.compactMap { $0["data"]?["status"]?.string }.sorted() == ["agreement_sent", "kickoff_scheduled"])
            #expect(events["calendar.invite"]?.count == 1)
            #expect(events["email.send"]?.first?["data"]?["kind"] == "kickoff_invite")
            let scheduled = try #require(events["pilot.kickoff.scheduled"]?.first?["data"])
            #expect(scheduled["ics_path"] == "threads/sales/acme-2026-11/kickoff-invite.ics")

            let agreement = try #require(world.file("acme-2026-11", "pilot-agreement-custom.md"))
            #expect(agreement.contains("Acme Analytics"))
            #expect(agreement.contains("|"), "a success criteria table")
            let ics = try #require(world.file("acme-2026-11", "kickoff-invite.ics"))
            #expect(ics.contains("METHOD:REQUEST\r\n"))

            // Real parsers read what the worker wrote.
            let folder = world.threads.appendingPathComponent("acme-2026-11")
            let output = try shell([
                "python3", packageRoot.appendingPathComponent("Tests/PilotDomainTests/python/check_invite.py").path,
                "--ics", folder.appendingPathComponent("kickoff-invite.ics").path,
                "--eml", folder.appendingPathComponent("kickoff-invite.eml").path,
            ])
            let facts = try JSONValue(parsing: output)
            #expect(facts["ics"]?["duration_minutes"]?.number == 30)
            #expect(facts["ics"]?["method"] == "REQUEST")
            let attendees = facts["ics"]?["attendees"]?.array?.compactMap { $0["email"]?.string } ?? []
            #expect(attendees.contains("sam@pilotworks.io") || attendees.count >= 2)
            #expect(Set(attendees) == Set(scheduled["attendees"]?.array?.compactMap(\.string) ?? []))
            let parts = facts["eml"]?["parts"]?.array ?? []
            #expect(parts.contains { $0["content_type"] == "text/calendar" && $0["method"] == "REQUEST" })
            #expect(facts["eml"]?["attachments"]?.array?.contains { $0["filename"] == "pilot-agreement-custom.md" } == true)
            #expect(facts["eml"]?["defects"]?.array?.isEmpty == true)
        }
    }

    @Test func signedWithAndWithoutAmendments() async throws {
        try await withWorld { world in
            let worker = try world.worker()
            defer { Task { await worker.terminate() } }
            for thread in ["plain-sign", "amended-sign"] {
                try world.probe.publish(TestEvents.request(subject: thread, id: "req-\(thread)"))
            }
            _ = try await world.take(12)
            try world.probe.publish(Self.signed("plain-sign", id: "sig-plain"))
            try world.probe.publish(Self.signed("amended-sign", id: "sig-amended", amendments: [
                "duration_days": 21, "support_level": "async",
                "pricing": ["model": "free", "list_price_annual": 48000, "currency": "USD"],
            ]))
            let events = try await world.take(3)
            let statuses = events["crm.update"]?.compactMap { $0["data"]?["status"]?.string } ?? []
            #expect(statuses == ["pilot_active", "pilot_active"])
            let email = try #require(events["email.send"]?.first)
            #expect(email["subject"] == "amended-sign")
            #expect(email["data"]?["kind"] == "final_agreement")
            let final = try #require(world.file("amended-sign", "pilot-agreement-final.md"))
            #expect(final.contains("21"))
            #expect(world.file("amended-sign", "final-agreement.eml") != nil)
            #expect(world.file("plain-sign", "pilot-agreement-final.md") == nil)
            // The signed terms are what monitoring and the ROI work from.
            let store = try SQLitePilotStore(path: world.vhost.workspace.appendingPathComponent(".pilot/pilot.db").path)
            let terms = try #require(try store.read { try $0.pilot("amended-sign") }?.state["request"]?["terms"])
            #expect(terms["pricing"]?["model"] == "free")
            #expect(terms["duration_days"] == 21)
        }
    }

    @Test func declinedLosesTheDeal() async throws {
        try await withWorld { world in
            let worker = try world.worker()
            defer { Task { await worker.terminate() } }
            try world.probe.publish(TestEvents.request(subject: "declines", id: "req-declines"))
            _ = try await world.take(6)
            try world.probe.publish(TestEvents.make(type: "pilot.declined", subject: "declines", id: "dec-1", data: [
                "declined_at": "2026-11-28T10:00:00Z", "reason": "Budget frozen until Q2",
            ]))
            let events = try await world.take(2)
            let lost = try #require(events["deal.lost"]?.first?["data"])
            #expect(lost["reason"] == "negotiation_failed")
            #expect(lost["failure_reasons"] == ["Budget frozen until Q2"])
            #expect(events["crm.update"]?.first?["data"]?["status"] == "deal_lost")
        }
    }

    /// Events that can never apply are dead-lettered with a reason; events that are only
    /// early (metrics overtaking the signature, as competing consumers allow) wait through
    /// the retry tiers and are handled once the state comes.
    @Test func wrongStateEventsAreDeadLetteredWithAReasonAndEarlyOnesWait() async throws {
        try await withWorld { world in
            // Early events wait 0.2 + 1 + 1 + 1 s in all: ample for the signature behind them.
            let worker = try world.worker(["PILOT_RETRY_DELAYS": "200ms,1s"])
            defer { Task { await worker.terminate() } }
            try world.probe.publish(Self.signed("nobody-asked", id: "sig-unknown"))
            try world.probe.publish(TestEvents.request(subject: "early", id: "req-early"))
            _ = try await world.take(6)
            try world.probe.publish(TestEvents.make(type: "pilot.metrics", subject: "early", id: "metrics-early", data: [
                "day": 1, "technical": ["uptime_pct": 99.9],
            ]))
            try world.probe.publish(Self.signed("early", id: "sig-1"))
            _ = try await world.take(1)
            try world.probe.publish(Self.signed("early", id: "sig-2", amendments: ["duration_days": 14]))
            try world.probe.publish(TestEvents.request(subject: "early", id: "req-early-again"))

            let monitoringDead = try await world.probe.take(2, from: "pilot.stage.monitoring.dead")
            let details = monitoringDead.map { ($0.properties.header("x-error-reason")?.stringValue ?? "", $0.properties.header("x-error-detail")?.stringValue ?? "") }
            #expect(details.count == 2 && details.allSatisfy { $0.0 == "wrong_state" })
            #expect(details.contains { $0.1.contains("still so after 5 attempts: no pilot for thread nobody-asked") })
            #expect(details.contains { $0.1.contains("cannot be signed: it is already active") })
            let agreementDead = try await world.probe.take(1, from: "pilot.stage.agreement.dead")
            #expect(agreementDead.first?.properties.header("x-error-reason") == .string("wrong_state"))

            let store = try SQLitePilotStore(path: world.vhost.workspace.appendingPathComponent(".pilot/pilot.db").path)
            // The early metrics may still be on their last tier when the other dead letters are in.
            try await waitUntil("the early metrics handled after the signature", timeout: .seconds(30)) {
                try store.read { try $0.metrics(threadID: "early") }.map(\.day) == [1]
            }
            #expect(try world.probe.depth("pilot.stage.monitoring.dead") == 0)
            #expect(worker.isRunning)
        }
    }

    /// The signature and the decline travel on the monitoring queue, the kickoff on its
    /// own: with the kickoff stage not running yet, both are handled first. The signed pilot
    /// still gets its invite and stays active; the declined one gets none; nothing is
    /// dead-lettered.
    @Test func aSignatureOrADeclineBeforeTheKickoffStageRuns() async throws {
        try await withWorld { world in
            let early = try world.worker(["PILOT_STAGES": "agreement,monitoring"])
            try world.probe.publish(TestEvents.request(subject: "quick", id: "req-quick"))
            try world.probe.publish(TestEvents.request(subject: "quick-no", id: "req-quick-no"))
            try world.probe.publish(Self.signed("quick", id: "sig-quick"))
            try world.probe.publish(TestEvents.make(type: "pilot.declined", subject: "quick-no", id: "dec-quick-no", data: [
                "declined_at": "2026-11-25T10:00:00Z", "reason": "Bought elsewhere",
            ]))
            // Two agreements with their CRM updates, the signature's pilot_active, the decline's deal.lost and deal_lost.
            let first = try await world.take(7)
            #expect(first["deal.lost"]?.count == 1 && first["pilot.kickoff.scheduled"] == nil)
            // A graceful stop: its outbox rows are marked sent, so nothing it published comes again.
            early.signal(SIGTERM)
            #expect(try await early.waitForExit() == 0)
            await early.terminate()

            let kickoff = try world.worker(["PILOT_STAGES": "kickoff"])
            defer { Task { await kickoff.terminate() } }
            let invites = try await world.take(4)
            #expect(invites.values.joined().allSatisfy { $0["subject"] == "quick" }, "only the signed pilot is invited: \(invites)\n\(kickoff.log)")
            #expect(invites["pilot.kickoff.scheduled"]?.count == 1 && invites["email.send"]?.count == 1)
            try await kickoff.waitForLog("kickoff not sent: the deal ended first")
            #expect(world.file("quick", "kickoff-invite.ics") != nil && world.file("quick-no", "kickoff-invite.ics") == nil)
            let store = try SQLitePilotStore(path: world.vhost.workspace.appendingPathComponent(".pilot/pilot.db").path)
            #expect(try store.read { try $0.pilot("quick") }?.status == "active")
            #expect(try world.probe.depth("pilot.stage.kickoff.dead") == 0 && world.probe.depth("tap.out") == 0)
        }
    }

    @Test func duplicatesAndACrashBetweenCommitAndAckCauseNoDoubleEffects() async throws {
        try await withWorld { world in
            let crashing = try world.worker(["PILOT_FAILPOINT": "crash-after-commit", "PILOT_STAGES": "agreement"])
            let request = TestEvents.request(subject: "fragile", id: "req-fragile")
            try world.probe.publish(request)
            #expect(try await crashing.waitForExit() == 137)
            await crashing.terminate()

            let worker = try world.worker()
            defer { Task { await worker.terminate() } }
            try world.probe.publish(request)  // upstream retried too
            let events = try await world.take(6)
            // "No second copy of any effect", without waiting "long enough": both copies
            // (the redelivery and upstream's retry) have met the inbox and the relay has
            // sent what the crash left; then a sentinel pilot goes the same way (agreement,
            // then kickoff, one consumer each, each publishing in order on one channel),
            // so a second copy of anything would reach the tap before the sentinel's six.
            try await worker.waitForLog("duplicate delivery ignored", count: 2)
            try await worker.waitForLog("published outbox rows left unsent")
            try world.probe.publish(TestEvents.request(subject: "sentinel", id: "req-sentinel"))
            let after = try await world.probe.take(6, from: "tap.out").map { try JSONValue(parsing: $0.body) }
            #expect(after.allSatisfy { $0["subject"] == "sentinel" }, "no second copy of any effect: \(after)")
            #expect(try world.probe.depth("tap.out") == 0)
            #expect(events["pilot.agreement.generated"]?.count == 1)
            #expect(events["email.send"]?.count == 1)
            #expect(events["crm.update"]?.count == 2)
            let store = try SQLitePilotStore(path: world.vhost.workspace.appendingPathComponent(".pilot/pilot.db").path)
            let handled = try store.read { try $0.handledEvents(threadID: "fragile") }
            #expect(handled.filter { $0.eventID == "req-fragile" }.count == 1)
            // Confirmed rows are marked sent with the consumer's next commit, or within one
            // poll when it is idle, so the last batch's rows are marked shortly after its ack.
            try await waitUntil("the outbox to be empty") { try store.read { try $0.pendingOutbox(limit: 10) }.isEmpty }
        }
    }
}
