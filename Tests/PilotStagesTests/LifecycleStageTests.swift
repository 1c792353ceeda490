import Foundation
import PilotDomain
import PilotJSON
import PilotStageAPI
import PilotStages
import PilotTestKit
import Testing

/// The lifecycle rules, pure: arrival orders, the signature chase, extensions,
/// cancellations and kickoff changes, each event + snapshot → outcome.
@Suite struct LifecycleStageTests {
    static let dana: JSONValue = ["name": "Dana Whitfield", "email": "dana.whitfield@acme-analytics.com"]

    /// The signature chase's timer for `day` pilot days after the invite.
    static func chase(_ pilot: StageHarness, day: Int) -> CloudEvent {
        TestEvents.make(type: "pilot.monitor.tick", subject: pilot.thread, id: "chase-\(day)", data: [
            "day": .int(Int64(day)), "scheduled_for": "2026-11-25T09:00:00Z", "timer": "signature",
        ])
    }

    static func at(_ time: String, _ event: CloudEvent) -> CloudEvent {
        var event = event
        event.time = time
        return event
    }

    static func text(_ outcome: StageOutcome, _ suffix: String) throws -> String {
        String(decoding: try #require(outcome.documents.first { $0.path.hasSuffix(suffix) }, "no \(suffix)").bytes, as: UTF8.self)
    }

    static func signed() throws -> StageHarness {
        var pilot = StageHarness()
        try pilot.prepare()
        try pilot.handle(.monitoring, pilot.event("pilot.signed", id: "sig"))
        return pilot
    }

    // MARK: arrival order

    @Test func aPilotSignedBeforeItsKickoffStillGetsTheInviteAndStaysActive() throws {
        var pilot = StageHarness()
        let generated = try pilot.agreementGenerated()
        try pilot.handle(.agreement, TestEvents.request(subject: pilot.thread, id: "request-\(pilot.thread)"))
        try pilot.handle(.monitoring, pilot.event("pilot.signed", id: "sig"))
        let kickoff = try pilot.handle(.kickoff, generated)
        #expect(kickoff.types == ["calendar.invite", "email.send", "pilot.kickoff.scheduled", "crm.update"])
        #expect(kickoff.pilot?.status == "active")
        #expect(kickoff.documents.map(\.path).contains("threads/sales/acme-2026-11/kickoff-invite.ics"))
        // A second, different agreement event can never be valid.
        var second = generated
        second.id = "another"
        #expect(throws: Refusal.self) { try pilot.handle(.kickoff, second) }
    }

    @Test func aPilotDeclinedBeforeItsKickoffGetsNoInviteAndNoDeadLetter() throws {
        var pilot = StageHarness()
        let generated = try pilot.agreementGenerated()
        try pilot.handle(.agreement, TestEvents.request(subject: pilot.thread, id: "request-\(pilot.thread)"))
        try pilot.handle(.monitoring, pilot.event("pilot.declined") {
            $0["declined_at"] = "2026-11-25T10:00:00Z"
            $0["reason"] = "budget"
        })
        let kickoff = try pilot.handle(.kickoff, generated)
        #expect(kickoff.events.isEmpty && kickoff.documents.isEmpty && kickoff.pilot == nil)
    }

    // MARK: signature chase

    @Test func anUnsignedPilotIsRemindedEveryThreeDaysAndExpiresOnDayFourteen() throws {
        var pilot = StageHarness()
        try pilot.prepare()
        var reminderDays: [Int] = []
        for day in 1...13 {
            let outcome = try pilot.handle(.monitoring, Self.chase(pilot, day: day))
            let next = try #require(outcome.events.first { $0.event.type == "pilot.monitor.tick" })
            #expect(next.afterOneDay && next.event.data["day"] == .int(Int64(day + 1)) && next.event.data["timer"] == "signature")
            if outcome.types.contains("email.send") {
                reminderDays.append(day)
                let number = day / 3
                let eml = try Self.text(outcome, "signature-reminder-\(number).eml")
                // To the decision makers only.
                let headers = eml.replacingOccurrences(of: "\r\n ", with: " ").split(separator: "\r\n")
                let to = try #require(headers.first { $0.hasPrefix("To:") })
                #expect(to.contains("dana.whitfield@") && to.contains("laura.chen@") && !to.contains("ravi.menon@"))
                _ = try Self.text(outcome, "signature-reminder-\(number).md")
                #expect(outcome.events.contains { $0.event.type == "crm.update" && $0.event.data["status"] == "signature_reminder_sent" })
            }
        }
        #expect(reminderDays == [3, 6, 9, 12])
        let expiry = try pilot.handle(.monitoring, Self.chase(pilot, day: 14))
        #expect(expiry.types == ["actions.skip_remaining", "deal.lost", "crm.update"])
        #expect(expiry.events[1].event.data["reason"] == "no_signature")
        #expect(expiry.pilot?.status == "expired")
        let late = try #require(throws: Refusal.self) { try pilot.handle(.monitoring, pilot.event("pilot.signed", id: "late")) }
        #expect(late.kind == .never && late.reason == "wrong_state")
        // When the last timer was due (its `time` 2026-11-25T09:00:00Z plus a day), not when
        // it was scheduled.
        #expect(late.detail.contains("expired on 2026-11-26T09:00:00Z after 4 reminders"))
    }

    @Test func aSignatureOnDayFourStopsTheChase() throws {
        var pilot = StageHarness()
        try pilot.prepare()
        var reminders = 0
        for day in 1...4 {
            reminders += try pilot.handle(.monitoring, Self.chase(pilot, day: day)).types.filter { $0 == "email.send" }.count
        }
        try pilot.handle(.monitoring, pilot.event("pilot.signed", id: "sig"))
        let after = try pilot.handle(.monitoring, Self.chase(pilot, day: 5))
        #expect(reminders == 1)
        #expect(after.events.isEmpty && after.pilot == nil)
    }

    @Test func thePolicyChangesTheRhythm() throws {
        let definition = PilotStages.definition(of: .monitoring, policy: LifecyclePolicy(signatureReminderDays: 2, signatureExpiryDays: 5))
        #expect(definition.routes["pilot.monitor.tick"] != nil)
        #expect(LifecyclePolicy(signatureReminderDays: 0).problem != nil)
        #expect(LifecyclePolicy(signatureExpiryDays: 0).problem != nil)
        #expect(LifecyclePolicy().problem == nil)
    }

    // MARK: extension

    @Test func anExtensionMovesTheEndAndTheResultsFollowIt() throws {
        var pilot = try Self.signed()
        let extended = try pilot.handle(.monitoring, pilot.event("pilot.extended") {
            $0["days"] = 7
            $0["reason"] = "integration went live late"
            $0["requested_by"] = Self.dana
        })
        #expect(extended.types == ["email.send", "crm.update"])
        #expect(extended.events[1].event.data["status"] == "pilot_extended")
        let amendment = try Self.text(extended, "pilot-agreement-amendment-1.md")
        #expect(amendment.contains("| Pilot length | 30 days | 37 days |"))
        _ = try Self.text(extended, "pilot-agreement-amendment-1.eml")
        // Day 30 is no longer the last: the timer runs on to day 37.
        let day30 = try pilot.handle(.monitoring, pilot.tick(day: 30))
        #expect(day30.types.contains("pilot.monitor.tick") && !day30.types.contains("pilot.results.requested"))
        try pilot.handle(.monitoring, pilot.event("pilot.metrics") { $0["day"] = 37 })
        let day37 = try pilot.handle(.monitoring, pilot.tick(day: 37))
        #expect(day37.types.contains("pilot.results.requested") && !day37.types.contains("pilot.monitor.tick"))
        // Once the results are requested, the length is settled.
        let late = try #require(throws: Refusal.self) {
            try pilot.handle(.monitoring, pilot.event("pilot.extended") { $0["requested_by"] = Self.dana })
        }
        #expect(late.kind == .never && late.detail.contains("results are being compiled"))
    }

    /// Every event of a pilot extended to the longest it may run meets its schema (the
    /// harness checks each), the eighth weekly report included.
    @Test func aSixtyDayPilotRunsToItsEnd() throws {
        var pilot = try Self.signed()
        try pilot.handle(.monitoring, pilot.event("pilot.extended") { $0["days"] = 30; $0["requested_by"] = Self.dana })
        var weekly: [JSONValue] = []
        var last = StageOutcome()
        for day in 1...60 {
            try pilot.handle(.monitoring, pilot.event("pilot.metrics") { $0["day"] = .int(Int64(day)) })
            last = try pilot.handle(.monitoring, pilot.tick(day: day))
            weekly += last.events.filter { $0.event.type == "report.weekly" }.compactMap { $0.event.data["week"] }
        }
        #expect(weekly == (1...8).map { .int(Int64($0)) })
        #expect(last.events.first { $0.event.type == "pilot.results.requested" }?.event.data["days"] == 60)
    }

    @Test func extensionsStopAtSixtyDaysAndWaitForTheSignature() throws {
        var unsigned = StageHarness()
        try unsigned.prepare()
        let early = try #require(throws: Refusal.self) {
            try unsigned.handle(.monitoring, unsigned.event("pilot.extended") { $0["requested_by"] = Self.dana })
        }
        #expect(early.kind == .notYet)

        var pilot = try Self.signed()
        try pilot.handle(.monitoring, pilot.event("pilot.extended") { $0["days"] = 30; $0["requested_by"] = Self.dana })
        let over = try #require(throws: Refusal.self) {
            try pilot.handle(.monitoring, pilot.event("pilot.extended") { $0["days"] = 1; $0["requested_by"] = Self.dana })
        }
        #expect(over.reason == "extension_limit")
        #expect(over.detail.contains("61 days"))
    }

    // MARK: cancellation

    @Test func aCancelledPilotStopsAtOnce() throws {
        var pilot = try Self.signed()
        let cancelled = try pilot.handle(.monitoring, pilot.event("pilot.cancelled") {
            $0["reason"] = "Budget moved"
            $0["cancelled_by"] = Self.dana
        })
        #expect(cancelled.types == ["email.send", "actions.skip_remaining", "deal.lost", "crm.update"])
        #expect(cancelled.events[2].event.data["reason"] == "cancelled")
        #expect(cancelled.pilot?.status == "cancelled")
        // The timer in flight finds nothing to do; data and a second cancellation are refused.
        let tick = try pilot.handle(.monitoring, pilot.tick(day: 3))
        #expect(tick.events.isEmpty && tick.documents.isEmpty)
        let metrics = try #require(throws: Refusal.self) { try pilot.handle(.monitoring, pilot.event("pilot.metrics")) }
        #expect(metrics.kind == .never)
        let again = try #require(throws: Refusal.self) {
            try pilot.handle(.monitoring, pilot.event("pilot.cancelled") { $0["cancelled_by"] = Self.dana })
        }
        #expect(again.detail.contains("was cancelled"))
    }

    // MARK: kickoff changes

    @Test func aRescheduleKeepsTheUIDAndRaisesTheSequence() throws {
        var pilot = StageHarness()
        try pilot.prepare()
        let first = String(decoding: try #require(pilot.documents["threads/sales/acme-2026-11/kickoff-invite.ics"]), as: UTF8.self)
        #expect(first.contains("SEQUENCE:0"))
        let moved = try pilot.handle(.kickoff, pilot.event("pilot.kickoff.reschedule") {
            $0["start"] = "2026-12-02T15:00:00Z"
            $0["reason"] = "travelling"
        })
        #expect(moved.types == ["calendar.invite", "email.send", "pilot.kickoff.scheduled"])
        let ics = try Self.text(moved, "kickoff-invite.ics")
        #expect(ics.contains("UID:kickoff-acme-2026-11@pilot-worker") && ics.contains("SEQUENCE:1") && ics.contains("METHOD:REQUEST"))
        #expect(moved.events[0].event.data["sequence"] == 1)
        #expect(moved.events[2].event.data["sequence"] == 1)
        #expect(moved.events[2].event.data["start"] == "2026-12-02T15:00:00Z")
        let eml = try Self.text(moved, "kickoff-reschedule-1.eml")
        #expect(eml.contains("method=REQUEST") && eml.contains("travelling"))

        // Without a start: the next free business slot, never the current one.
        let again = try pilot.handle(.kickoff, pilot.event("pilot.kickoff.reschedule") { $0["start"] = nil })
        let data = again.events[2].event.data
        #expect(data["sequence"] == 2 && data["start"] != "2026-12-02T15:00:00Z")
    }

    @Test func aKickoffCancelSendsMethodCancelAndARescheduleInvitesAgain() throws {
        var pilot = StageHarness()
        try pilot.prepare()
        let cancelled = try pilot.handle(.kickoff, pilot.event("pilot.kickoff.cancel") { $0["reason"] = "reorganising" })
        let ics = try Self.text(cancelled, "kickoff-cancel.ics")
        #expect(ics.contains("METHOD:CANCEL") && ics.contains("STATUS:CANCELLED") && ics.contains("SEQUENCE:1"))
        #expect(ics.contains("UID:kickoff-acme-2026-11@pilot-worker"))
        #expect(try Self.text(cancelled, "kickoff-cancel-1.eml").contains("text/calendar; charset=utf-8; method=CANCEL"))
        #expect(cancelled.events[0].event.data["method"] == "CANCEL")
        #expect(throws: Refusal.self) { try pilot.handle(.kickoff, pilot.event("pilot.kickoff.cancel")) }
        let reinvited = try pilot.handle(.kickoff, pilot.event("pilot.kickoff.reschedule"))
        #expect(try Self.text(reinvited, "kickoff-invite.ics").contains("SEQUENCE:2"))
    }

    @Test func kickoffChangesWaitForTheInviteAndStopOnceItTookPlace() throws {
        var pilot = StageHarness()
        try pilot.handle(.agreement, TestEvents.request(subject: pilot.thread, id: "request-\(pilot.thread)"))
        let early = try #require(throws: Refusal.self) { try pilot.handle(.kickoff, pilot.event("pilot.kickoff.reschedule") { $0["start"] = nil }) }
        #expect(early.kind == .notYet)
        var invited = StageHarness()
        try invited.prepare()
        let late = try #require(throws: Refusal.self) {
            try invited.handle(.kickoff, Self.at("2026-12-20T09:00:00Z", invited.event("pilot.kickoff.reschedule")))
        }
        #expect(late.kind == .never && late.detail.contains("took place"))
        let past = try #require(throws: Refusal.self) {
            try invited.handle(.kickoff, invited.event("pilot.kickoff.reschedule") { $0["start"] = "2026-11-20T09:00:00Z" })
        }
        #expect(past.kind == .never)
    }

    @Test func everyChangeIsInTheHistory() throws {
        var pilot = StageHarness()
        try pilot.prepare()
        try pilot.handle(.kickoff, pilot.event("pilot.kickoff.reschedule") { $0["requested_by"] = Self.dana; $0["reason"] = "travel" })
        try pilot.handle(.monitoring, pilot.event("pilot.signed", id: "sig"))
        try pilot.handle(.monitoring, pilot.event("pilot.extended") { $0["requested_by"] = Self.dana })
        try pilot.handle(.monitoring, pilot.event("pilot.cancelled") { $0["cancelled_by"] = Self.dana })
        let history = try #require(pilot.snapshot.pilot?.state["history"]?.array)
        #expect(history.compactMap { $0["change"]?.string } == ["kickoff_rescheduled", "signed", "extended", "cancelled"])
        #expect(history[0]["by"]?["email"] == "dana.whitfield@acme-analytics.com")
        #expect(history[0]["why"] == "travel")
        #expect(history.allSatisfy { $0["at"] != nil && $0["event_id"] != nil && $0["what"] != nil })
    }
}

/// The buyer's page linked from the e-mails when pilot-web is published: a link
/// pilot-web accepts for this thread, signed from the e-mail's event time.
@Suite struct BuyerLinkEmailTests {
    static let links = BuyerLinks(publicURL: "https://pilots.example.com/", secret: "a-secret-of-at-least-16")

    static func link(in eml: String) throws -> URLComponents {
        let unfolded = eml.replacingOccurrences(of: "=\r\n", with: "").replacingOccurrences(of: "=3D", with: "=")
        let range = try #require(unfolded.range(of: #"https://pilots\.example\.com/share/[A-Za-z0-9._-]+\?exp=[0-9]+&sig=[0-9a-f]{64}"#, options: .regularExpression))
        return try #require(URLComponents(string: String(unfolded[range])))
    }

    static func accepted(_ url: URLComponents, thread: String) -> Bool {
        let query = Dictionary(uniqueKeysWithValues: (url.queryItems ?? []).map { ($0.name, $0.value) })
        let verdict = ShareLink.verify(threadID: thread, exp: query["exp"] ?? nil, sig: query["sig"] ?? nil,
            secret: links.secret, now: Date(timeIntervalSince1970: 1_796_000_000))
        if case .success = verdict { return url.path == "/share/\(thread)" }
        return false
    }

    @Test func theKickoffAndWeeklyEmailsLinkThePilotsPage() throws {
        var pilot = StageHarness()
        pilot.links = Self.links
        try pilot.prepare()
        let kickoff = String(decoding: try #require(pilot.documents["threads/sales/acme-2026-11/kickoff-invite.eml"]), as: UTF8.self)
        #expect(Self.accepted(try Self.link(in: kickoff), thread: pilot.thread))
        try pilot.handle(.monitoring, pilot.event("pilot.signed"))
        var weekly = StageOutcome()
        for day in 1...7 { weekly = try pilot.handle(.monitoring, pilot.tick(day: day)) }
        let eml = String(decoding: try #require(weekly.documents.first { $0.path.hasSuffix("progress-week-1.eml") }).bytes, as: UTF8.self)
        #expect(Self.accepted(try Self.link(in: eml), thread: pilot.thread))
        #expect(!Self.accepted(try Self.link(in: eml), thread: "another-thread"))
    }

    @Test func withoutAPublicURLTheEmailsHaveNoLink() throws {
        var pilot = StageHarness()
        try pilot.prepare()
        let kickoff = String(decoding: try #require(pilot.documents["threads/sales/acme-2026-11/kickoff-invite.eml"]), as: UTF8.self)
        #expect(!kickoff.contains("/share/"))
    }
}
