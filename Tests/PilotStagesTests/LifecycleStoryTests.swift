import Contracts
import Foundation
import PilotJSON
import PilotRuntime
import PilotStageAPI
import PilotStore
import PilotTestKit
import Testing

/// The lifecycle stories on a real broker with two-second pilot days, driven as upstream
/// systems and operators would (pika and pilotctl): an unsigned pilot chased and expired,
/// one signed after its first reminder, one extended, one cancelled, one whose kickoff is
/// moved and then cancelled. The worker is killed mid-story and every change event is
/// sent twice; each story must still leave exactly one of every effect.
@Suite(.serialized, .live) struct LifecycleStoryTests {
    static let taps = [
        "email.send", "crm.update", "deal.lost", "actions.skip_remaining", "pilot.completed", "calendar.invite",
        "pilot.kickoff.scheduled", "action.create", "pilot.results.requested",
    ]
    static let dana: JSONValue = ["name": "Dana Whitfield", "email": "dana.whitfield@acme-analytics.com"]
    /// Two-second days: the stories wait on reminders and expiries counted in pilot days,
    /// and a busy machine must not turn a signature sent on day 4 into one handled on day 14.
    static let daySeconds = 2

    /// `event` stamped now: the kickoff is planned from the request's time, and pilotctl
    /// stamps its events with the clock, so both must live in the same present.
    static func now(_ event: CloudEvent) -> CloudEvent {
        var event = event
        event.time = EventTime.string(Date())
        return event
    }

    static func change(_ type: String, _ thread: String, id: String, _ data: JSONValue) -> CloudEvent {
        now(TestEvents.make(type: type, subject: thread, id: id, data: data))
    }

    /// What the tap has seen, by thread and type, each event once by id: delivery is at
    /// least once (a worker killed between a publisher confirm and marking its outbox row
    /// sent publishes the row again on restart), and receivers drop a copy by its id
    /// (docs/contract.md, "Derived event ids"). A copy must be the same event, byte for byte.
    final class Seen: @unchecked Sendable {
        var events: [String: [String: [JSONValue]]] = [:]
        var bodies: [String: [UInt8]] = [:]
        /// Ids whose copies differ: two different events under one id.
        var conflicts: [String] = []
        var copies = 0

        func take(_ probe: QueueProbe) throws {
            for delivery in try probe.takeReady(upTo: 500, from: "tap.story") {
                let event = try JSONValue(parsing: delivery.body)
                let id = event["id"]?.string ?? ""
                if let earlier = bodies[id] {
                    copies += 1
                    if earlier != delivery.body { conflicts.append(id) }
                    continue
                }
                bodies[id] = delivery.body
                events[event["subject"]?.string ?? "?", default: [:]][delivery.routingKey, default: []].append(event)
            }
        }

        func of(_ thread: String, _ type: String) -> [JSONValue] { events[thread]?[type] ?? [] }

        func crm(_ thread: String, _ status: String) -> [JSONValue] {
            of(thread, "crm.update").filter { $0["data"]?["status"]?.string == status }
        }
    }

    @Test(.timeLimit(.minutes(6))) func storiesLeaveExactlyOneOfEachEffectUnderKillsAndDuplicates() async throws {
        let vhost = try await TestBroker.shared.makeVirtualHost("story")
        defer { Task { await vhost.delete() } }
        let probe = try QueueProbe(url: vhost.url)
        let topology = Topology(retryDelays: [.milliseconds(200)], dayLength: .seconds(Self.daySeconds))
        try probe.tap("tap.story", routingKeys: Self.taps, topology: topology)
        let environment = [
            "PILOT_AMQP_URL": vhost.url, "PILOT_WORKSPACE": vhost.workspace.path, "PILOT_DAY_SECONDS": String(Self.daySeconds),
            "PILOT_RETRY_DELAYS": "200ms", "PILOT_STAGES": "agreement,kickoff,monitoring,results,next-action",
        ]
        var worker = try WorkerProcess(environment: environment)
        defer { let last = worker; Task { await last.terminate() } }
        let seen = Seen()
        func pilotctl(_ arguments: [String]) throws -> String {
            try shell([try WorkerProcess.locate("pilotctl").path] + arguments, environment: [
                "PILOT_AMQP_URL": vhost.url, "PILOT_DAY_SECONDS": String(Self.daySeconds), "PILOT_RETRY_DELAYS": "200ms",
                "PILOT_WORKSPACE": vhost.workspace.path, "PILOT_SCHEMAS": packageRoot.appendingPathComponent("schemas").path,
            ])
        }
        func until(_ what: String, timeout: Duration = .seconds(60), _ condition: @escaping () -> Bool) async throws {
            try await worker.explaining {
                try await waitUntil(what, timeout: timeout) {
                    try seen.take(probe)
                    return condition()
                }
            }
        }

        let threads = ["unsigned", "late-signer", "extended", "cancelled", "moved"]
        try PreparationFlowTests.publishWithPika(
            // The extended pilot runs 21 days, so its extension has time to land before its last day on a busy machine.
            threads.map { Self.now(PilotLifecycleTests.request($0, days: $0 == "extended" ? 21 : 14)) }, vhost: vhost)
        try await until("every kickoff") { threads.allSatisfy { !seen.of($0, "pilot.kickoff.scheduled").isEmpty } }

        // Three pilots are signed at once; the kickoff of one of them moves, then is called off.
        try PreparationFlowTests.publishWithPika(
            ["extended", "cancelled", "moved"].map { Self.now(PreparationFlowTests.signed($0, id: "sig-\($0)")) }, vhost: vhost)
        let start = EventTime.string(Date().addingTimeInterval(10 * 86_400))
        let reschedule = Self.change("pilot.kickoff.reschedule", "moved", id: "move-1", ["start": .string(start), "reason": "Dana is travelling"])
        try PreparationFlowTests.publishWithPika([reschedule, reschedule], vhost: vhost)
        try await until("the kickoff moved") { seen.of("moved", "pilot.kickoff.scheduled").count == 2 }
        _ = try pilotctl(["pilot", "cancel-kickoff", "moved", "--reason", "Team reorganising", "--by", "Sam Carter <sam@pilot-worker.dev>"])

        // The extension and the cancellation, each sent twice with one id.
        try await until("two pilots active") { !seen.crm("extended", "pilot_active").isEmpty && !seen.crm("cancelled", "pilot_active").isEmpty }
        let extend = Self.change("pilot.extended", "extended", id: "extend-1", [
            "days": 7, "reason": "The warehouse integration went live late", "requested_by": Self.dana,
        ])
        let cancel = Self.change("pilot.cancelled", "cancelled", id: "cancel-1", ["reason": "Budget moved", "cancelled_by": Self.dana])
        try PreparationFlowTests.publishWithPika([extend, cancel, extend, cancel], vhost: vhost)
        try await until("the late signer's first reminder") { !seen.crm("late-signer", "signature_reminder_sent").isEmpty }
        try PreparationFlowTests.publishWithPika([Self.now(PreparationFlowTests.signed("late-signer", id: "sig-late"))], vhost: vhost)

        // Killed mid-story, with timers in the broker and changes behind it; another takes over.
        try await until("the extension") { !seen.crm("extended", "pilot_extended").isEmpty }
        worker.signal(SIGKILL)
        _ = try await worker.waitForExit()
        worker = try WorkerProcess(environment: environment)
        try PreparationFlowTests.publishWithPika([extend, cancel], vhost: vhost)

        try await until("every story's end", timeout: .seconds(240)) {
            !seen.of("unsigned", "deal.lost").isEmpty && !seen.of("cancelled", "deal.lost").isEmpty
                && ["late-signer", "extended", "moved"].allSatisfy { !seen.of($0, "pilot.completed").isEmpty }
        }
        // A signature after the expiry is refused with a sentence saying when it expired.
        try PreparationFlowTests.publishWithPika([Self.now(PreparationFlowTests.signed("unsigned", id: "sig-too-late"))], vhost: vhost)
        let dead = try await probe.take(1, from: "pilot.stage.monitoring.dead")
        #expect(dead.first?.properties.header("x-error-reason") == .string("wrong_state"))
        #expect(dead.first?.properties.header("x-error-detail")?.stringValue?.contains("the offer expired on") == true)

        // Nothing left anywhere: no timer, no delivery, no outbox row; then all that was published is on the tap.
        let store = try SQLitePilotStore(path: vhost.workspace.appendingPathComponent(".pilot/pilot.db").path)
        try await waitUntil("queues and outbox empty", timeout: .seconds(30)) {
            try (topology.stages.map(\.queue) + [topology.timerQueue]).allSatisfy { try probe.depth($0) == 0 }
                && store.read { try $0.pendingOutbox(limit: 1) }.isEmpty
        }
        try seen.take(probe)

        // Exactly once: every effect below is counted by id, and an id never names two events.
        #expect(seen.conflicts.isEmpty, "different events under one id: \(seen.conflicts)")
        print("lifecycle stories: \(seen.bodies.count) events, \(seen.copies) copies re-sent after the kill")

        // The unsigned pilot: reminded on days 3, 6, 9 and 12, expired on day 14.
        let reminderNotes = seen.crm("unsigned", "signature_reminder_sent").compactMap { $0["data"]?["note"]?.string }
        #expect(reminderNotes.sorted() == [3, 6, 9, 12].enumerated().map { "Signature reminder \($0.offset + 1) sent \($0.element) pilot days after the kickoff invite" }.sorted())
        #expect(seen.of("unsigned", "deal.lost").map { $0["data"]?["reason"] } == ["no_signature"])
        #expect(seen.of("unsigned", "actions.skip_remaining").count == 1)
        #expect(seen.of("unsigned", "email.send").filter { $0["data"]?["kind"] == "signature_reminder" }.count == 4)
        let threadsFolder = vhost.workspace.appendingPathComponent("threads/sales")
        func exists(_ thread: String, _ name: String) -> Bool {
            FileManager.default.fileExists(atPath: threadsFolder.appendingPathComponent("\(thread)/\(name)").path)
        }
        #expect((1...4).allSatisfy { exists("unsigned", "signature-reminder-\($0).md") } && !exists("unsigned", "signature-reminder-5.md"))

        // Signed after the first reminder: the reminders before the signature and none after,
        // no expiry, one outcome. The test signs it on seeing the first reminder, so it is
        // signed on day 4 unless the machine is slow; the chase day it was handled on is read
        // from the inbox, which keeps the order the pilot's events were committed in.
        let lateInbox = try store.read { try $0.handledEvents(threadID: "late-signer") }
        let signedAt = try #require(lateInbox.firstIndex { $0.eventID == "sig-late" })
        let chase = TickChains(lateInbox, signature: "sig-late").chase
        let chaseDaysBefore = chase.filter { tick in lateInbox.firstIndex { $0.eventID == tick.eventID }! < signedAt }.count
        print("lifecycle stories: late-signer signed on chase day \(chaseDaysBefore + 1)")
        #expect(chaseDaysBefore >= 3 && chase.count - chaseDaysBefore <= 1, "the chase ends at the signature")
        #expect(seen.crm("late-signer", "signature_reminder_sent").count == chaseDaysBefore / 3)
        #expect(!seen.of("late-signer", "deal.lost").contains { $0["data"]?["reason"] == "no_signature" })
        #expect(seen.of("late-signer", "pilot.completed").count == 1)

        // Extended by 7 days: the results cover 28 days, once.
        #expect(seen.of("extended", "pilot.results.requested").map { $0["data"]?["days"] } == [28])
        #expect(seen.of("extended", "pilot.completed").count == 1)
        #expect(seen.crm("extended", "pilot_extended").count == 1)
        #expect(exists("extended", "pilot-agreement-amendment-1.md") && !exists("extended", "pilot-agreement-amendment-2.md"))
        #expect(exists("extended", "monitoring/day-28.json") && !exists("extended", "monitoring/day-29.json"))

        // Cancelled: lost at once; the daily tick in flight finds a cancelled pilot and writes nothing; no results.
        #expect(seen.of("cancelled", "deal.lost").map { $0["data"]?["reason"] } == ["cancelled"])
        #expect(seen.of("cancelled", "actions.skip_remaining").count == 1)
        #expect(seen.of("cancelled", "email.send").filter { $0["data"]?["kind"] == "cancellation" }.count == 1)
        #expect(seen.of("cancelled", "pilot.results.requested").isEmpty)
        let cancelledInbox = try store.read { try $0.handledEvents(threadID: "cancelled") }
        let cancelledAt = try #require(cancelledInbox.firstIndex { $0.eventID == "cancel-1" })
        let ticksAfter = Set(TickChains(cancelledInbox, signature: "sig-cancelled").daily
            .filter { tick in cancelledInbox.firstIndex { $0.eventID == tick.eventID }! > cancelledAt }.map(\.eventID))
        #expect(ticksAfter.count <= 1, "one tick was in flight at most")
        let written = try store.read { try $0.documents(threadID: "cancelled") }
        #expect(!written.contains { ticksAfter.contains($0.eventID ?? "") }, "a tick after the cancellation wrote a document")

        // The moved kickoff, read by Python's icalendar as a calendar client would.
        let invites = seen.of("moved", "calendar.invite").map { ($0["data"]?["sequence"], $0["data"]?["method"]) }
        #expect(invites.map(\.0) == [0, 1, 2] && invites.map(\.1) == ["REQUEST", "REQUEST", "CANCEL"])
        let read = try shell(["python3", packageRoot.appendingPathComponent("Tests/PilotStagesTests/python/read_ics.py").path,
            threadsFolder.appendingPathComponent("moved/kickoff-invite.ics").path,
            threadsFolder.appendingPathComponent("moved/kickoff-cancel.ics").path])
        let calendars = try read.split(separator: "\n").map { try JSONValue(parsing: Array($0.utf8)) }
        #expect(calendars.count == 2)
        let request = try #require(calendars.first?["events"]?.array?.first)
        let cancelled = try #require(calendars.last?["events"]?.array?.first)
        #expect(calendars.first?["method"] == "REQUEST" && request["sequence"] == 1 && request["uid"] == "kickoff-moved@pilot-worker")
        let moved = try #require(request["start"]?.string.flatMap { ISO8601DateFormatter().date(from: $0) })
        #expect(moved == EventTime.date(start), "the invite is at the requested start: \(moved)")
        #expect(calendars.last?["method"] == "CANCEL" && cancelled["status"] == "CANCELLED")
        #expect(cancelled["uid"] == "kickoff-moved@pilot-worker" && cancelled["sequence"] == 2)

        // Visible to operators.
        let shown = try pilotctl(["pilot", "show", "moved"])
        #expect(shown.contains("kickoff_rescheduled") && shown.contains("kickoff_cancelled") && shown.contains("by Sam Carter <sam@pilot-worker.dev>"))
        #expect(try pilotctl(["pilot", "show", "extended"]).contains("extended  by Dana Whitfield"))
        #expect(try pilotctl(["pilot", "show", "unsigned"]).contains("expired  by pilot-worker"))
        #expect(try probe.depth("pilot.stage.kickoff.dead") == 0 && probe.depth("pilot.stage.monitoring.dead") == 0)
    }
}
