import Contracts
import Foundation
import PilotDomain
import PilotJSON
import PilotRuntime
import PilotStageAPI
import PilotStages
import PilotTestKit
import Testing

/// Every stage in process: event + snapshot → outcome, no broker, no store, no files.
@Suite struct StageDispatchTests {
    @Test func everyContractStageHasExactlyItsRoutingKeys() {
        #expect(PilotStage.allCases.map(\.rawValue) == Stage.all.map(\.name))
        for stage in Stage.all {
            let definition = PilotStages.definition(of: PilotStage(rawValue: stage.name)!)
            #expect(definition.name == stage.name)
            #expect(definition.types == stage.routingKeys.sorted(), "stage \(stage.name)")
        }
    }
}

@Suite struct AgreementStageTests {
    @Test func requestWritesTheAgreementAndAnnouncesIt() throws {
        var pilot = StageHarness()
        let outcome = try pilot.handle(.agreement, TestEvents.request(id: "r1"))
        #expect(outcome.types == ["pilot.agreement.generated", "crm.update"])
        #expect(outcome.documents.map(\.path) == ["threads/sales/acme-2026-11/pilot-agreement-custom.md"])
        #expect(outcome.pilot?.status == "agreement_sent")
        // The clock comes from the context: derived events carry its time.
        #expect(outcome.events.allSatisfy { $0.event.time == EventTime.string(pilot.now) })
        #expect(outcome.events.allSatisfy { $0.event.causationID == "r1" })
    }

    /// Edits of the sample request, each still valid, for what the agreement's event holds.
    static let requestEdits: [(String, @Sendable (inout JSONObject) -> Void)] = [
        ("as it is", { _ in }),
        ("14 days", { $0.edit("terms") { $0["duration_days"] = 14 } }),
        ("no duration", { $0.edit("terms") { $0["duration_days"] = nil } }),
        ("no domain or industry", { $0.edit("lead") { $0.edit("company") { $0["domain"] = nil; $0["industry"] = nil } } }),
        ("no integrations", { $0.edit("qualification") { $0["integrations"] = nil } }),
        ("free and async", {
            $0.edit("terms") {
                $0["support_level"] = "async"
                $0["pricing"] = ["model": "free", "list_price_annual": 12_000.5, "currency": "EUR"]
            }
        }),
        ("no optional targets", {
            $0.edit("qualification") {
                $0["expected_improvement_pct"] = nil; $0["satisfaction_target_nps"] = nil; $0["roi_target_pct"] = nil
            }
        }),
    ]

    /// The event's data is put together from the state's JSON: it must be, to the byte,
    /// what encoding `AgreementGenerated` for the same request gives.
    @Test(arguments: requestEdits.indices)
    func theAgreementsEventIsTheEncodingOfItsData(_ edit: Int) throws {
        var data = try #require(TestEvents.sampleRequest.object)
        Self.requestEdits[edit].1(&data)
        var pilot = StageHarness()
        let outcome = try pilot.handle(.agreement, TestEvents.make(type: "pilot.requested", id: "r1", data: .object(data)))
        let sent = try #require(outcome.events.first { $0.event.type == "pilot.agreement.generated" }?.event.data)
        let request = try JSONValueDecoder().decode(PilotRequest.self, from: .object(data))
        let criteria = SuccessCriteria.derive(from: request.qualification, durationDays: request.terms.resolvedDurationDays)
        let expected = try JSONValueEncoder().encode(AgreementGenerated(
            request: request, criteria: criteria, agreementPath: "threads/sales/acme-2026-11/pilot-agreement-custom.md"))
        #expect(sent.serializedBytes() == expected.serializedBytes(), "\(Self.requestEdits[edit].0)")
    }

    @Test func theSameEventOnTheSameSnapshotGivesTheSameOutcome() throws {
        var first = StageHarness()
        var second = StageHarness()
        second.now = first.now.addingTimeInterval(3600)
        let a = try first.handle(.agreement, TestEvents.request(id: "r1"))
        let b = try second.handle(.agreement, TestEvents.request(id: "r1"))
        #expect(a.events.map(\.event.id) == b.events.map(\.event.id))
        #expect(a.documents == b.documents)
        #expect(a.pilot == b.pilot)
    }

    @Test func aSecondRequestForTheThreadIsRefused() throws {
        var pilot = StageHarness()
        try pilot.handle(.agreement, TestEvents.request(id: "r1"))
        let refusal = try #require(throws: Refusal.self) { try pilot.handle(.agreement, TestEvents.request(id: "r2")) }
        #expect(refusal.kind == .never)
        #expect(refusal.reason == "wrong_state")
    }

    @Test func theTeamsTemplateIsUsedAndABrokenOneIsRefused() throws {
        var pilot = StageHarness()
        pilot.snapshot.templates.agreement = "# CUSTOM {{company.name}}\n"
        let outcome = try pilot.handle(.agreement, TestEvents.request(id: "r1"))
        #expect(String(decoding: try #require(outcome.documents.first).bytes, as: UTF8.self).contains("CUSTOM"))

        var broken = StageHarness()
        broken.snapshot.templates.agreement = "{{#unclosed}}"
        let refusal = try #require(throws: Refusal.self) { try broken.handle(.agreement, TestEvents.request(id: "r1")) }
        #expect(refusal.reason == "bad_template")
    }
}

@Suite struct KickoffStageTests {
    @Test func kickoffBeforeItsPilotWaits() throws {
        var pilot = StageHarness()
        let refusal = try #require(throws: Refusal.self) { try pilot.handle(.kickoff, try pilot.agreementGenerated()) }
        #expect(refusal.kind == .notYet)
    }

    @Test func kickoffWritesTheInviteAndEmailWithTheAgreement() throws {
        var pilot = StageHarness()
        let generated = try pilot.agreementGenerated()
        try pilot.handle(.agreement, TestEvents.request(subject: pilot.thread, id: "request-\(pilot.thread)"))
        let outcome = try pilot.handle(.kickoff, generated)
        // The last is the first timer of the signature chase.
        #expect(outcome.types == ["calendar.invite", "email.send", "pilot.kickoff.scheduled", "crm.update", "pilot.monitor.tick"])
        #expect(outcome.documents.map(\.path) == [
            "threads/sales/acme-2026-11/kickoff-invite.ics", "threads/sales/acme-2026-11/kickoff-invite.eml",
        ])
        #expect(outcome.pilot?.status == "kickoff_scheduled")
        let eml = String(decoding: outcome.documents[1].bytes, as: UTF8.self)
        #expect(eml.contains("Content-Type: text/calendar; charset=utf-8; method=REQUEST"))
        #expect(eml.contains("pilot-agreement-custom.md"))
        // The Message-ID is the email.send event's id, so a rewrite after a crash is the same message.
        let send = try #require(outcome.events.first { $0.event.type == "email.send" })
        #expect(eml.contains("Message-ID: <\(send.event.id)@pilot-worker>"))
    }

    @Test func aMissingAgreementIsAFailureToRetryNotARefusal() throws {
        var pilot = StageHarness()
        let generated = try pilot.agreementGenerated()
        try pilot.handle(.agreement, TestEvents.request(subject: pilot.thread, id: "request-\(pilot.thread)"))
        pilot.documents = [:]
        #expect(throws: (any Error).self) { try pilot.handle(.kickoff, generated) }
        #expect((try? pilot.handle(.kickoff, generated)) == nil)
    }
}

@Suite struct MonitoringStageTests {
    @Test func dataBeforeTheSignatureWaitsAndDataAfterTheEndIsRefused() throws {
        var pilot = StageHarness()
        try pilot.prepare()
        let early = try #require(throws: Refusal.self) { try pilot.handle(.monitoring, pilot.event("pilot.metrics")) }
        #expect(early.kind == .notYet)
        pilot.snapshot.pilot?.status = "completed"
        let late = try #require(throws: Refusal.self) { try pilot.handle(.monitoring, pilot.event("pilot.metrics")) }
        #expect(late.kind == .never)
        #expect(late.detail.contains("after the pilot ended"))
    }

    @Test func signatureActivatesThePilotAndStartsTheDailyTimer() throws {
        var pilot = StageHarness()
        try pilot.prepare()
        let outcome = try pilot.handle(.monitoring, pilot.event("pilot.signed", id: "s1"))
        #expect(outcome.pilot?.status == "active")
        let tick = try #require(outcome.events.first { $0.event.type == "pilot.monitor.tick" })
        #expect(tick.afterOneDay)
        #expect(tick.event.data["day"] == 1)
        let twice = try #require(throws: Refusal.self) { try pilot.handle(.monitoring, pilot.event("pilot.signed", id: "s2")) }
        #expect(twice.reason == "wrong_state")
    }

    /// A timer's `time` is when it was scheduled, a pilot day before it fires. What a tick
    /// does counts from when it was due (that time plus a pilot day), not from its `time`
    /// nor the clock: the weekly check-in's slot gives one business day's notice, and the
    /// same tick planned again later writes the same bytes (an object store takes documents
    /// before the commit, and a redelivery may plan while the first commit runs).
    @Test func aTickCountsFromWhenItWasDue() throws {
        var pilot = StageHarness()
        try pilot.prepare()
        let signedAt = try #require(EventTime.date("2026-11-26T09:00:00Z"))
        pilot.now = signedAt
        let signed = try pilot.handle(.monitoring, pilot.event("pilot.signed"))
        var tick = try #require(signed.events.first { $0.event.type == "pilot.monitor.tick" }).event
        #expect(tick.data["scheduled_for"] == "2026-11-27T09:00:00Z")
        var week = StageOutcome()
        for day in 1...7 {
            // The timer delivers each tick a pilot day after the handling that scheduled it.
            pilot.now = signedAt.addingTimeInterval(Double(day) * 86_400)
            try pilot.handle(.monitoring, pilot.event("pilot.metrics") { data in
                data["day"] = .int(Int64(day))
                data["technical"] = ["latency_p95_ms": 5000, "accuracy_pct": 50, "uptime_pct": 80, "error_rate_pct": 9]
            })
            var later = pilot
            later.now = pilot.now.addingTimeInterval(90)
            week = try pilot.handle(.monitoring, tick)
            let again = try later.handle(.monitoring, tick)
            #expect(again.documents.map(\.bytes) == week.documents.map(\.bytes), "day \(day): planned again 90 s later")
            let next = try #require(week.events.first { $0.event.type == "pilot.monitor.tick" })
            #expect(next.event.data["scheduled_for"] == .string(EventTime.string(pilot.now.addingTimeInterval(86_400))), "day \(day)")
            tick = next.event
        }
        let invite = try #require(week.events.first { $0.event.type == "calendar.invite" }, "a week with criteria at risk proposes a check-in")
        let start = try #require(invite.event.data["start"]?.string.flatMap(EventTime.date))
        #expect(start > pilot.now.addingTimeInterval(12 * 3600), "the check-in at \(invite.event.data["start"] ?? nil) gives less than a business day's notice from \(EventTime.string(pilot.now))")
    }

    @Test func declineLosesTheDeal() throws {
        var pilot = StageHarness()
        try pilot.prepare()
        let outcome = try pilot.handle(.monitoring, pilot.event("pilot.declined") {
            $0["declined_at"] = "2026-11-26T10:00:00Z"
            $0["reason"] = "budget"
        })
        #expect(outcome.types == ["deal.lost", "crm.update"])
        #expect(outcome.events[0].event.data["reason"] == "negotiation_failed")
        #expect(outcome.pilot?.status == "declined")
    }

    @Test func metricsAreStoredByDayAndOutOfRangeDaysRefused() throws {
        var pilot = StageHarness()
        try pilot.prepare()
        try pilot.handle(.monitoring, pilot.event("pilot.signed"))
        let outcome = try pilot.handle(.monitoring, pilot.event("pilot.metrics") { $0["day"] = 3 })
        guard case .metrics(let day, _, _) = try #require(outcome.records.first) else {
            Issue.record("expected a metrics record")
            return
        }
        #expect(day == 3)
        #expect(pilot.snapshot.metrics.map(\.day) == [3])
        let refusal = try #require(throws: Refusal.self) { try pilot.handle(.monitoring, pilot.event("pilot.metrics") { $0["day"] = 31 }) }
        #expect(refusal.reason == "day_out_of_range")
    }

    /// A tick leaves each day's decoded metrics in the row's memo, so the next tick, which
    /// reads the same rows from the store's cache, does not decode them again.
    @Test func aTickKeepsTheDecodedMetricsForTheNextOne() throws {
        struct DecodedAgain: Error {}
        var pilot = StageHarness()
        try pilot.prepare()
        try pilot.handle(.monitoring, pilot.event("pilot.signed"))
        for day in 1...3 {
            try pilot.handle(.monitoring, pilot.event("pilot.metrics") { $0["day"] = .int(Int64(day)) })
        }
        try pilot.handle(.monitoring, pilot.tick(day: 3))
        #expect(pilot.snapshot.metrics.count == 3)
        for row in pilot.snapshot.metrics {
            let kept = try row.memo.value { () throws -> PilotMetrics in throw DecodedAgain() }
            #expect(kept.day == row.day)
        }
    }

    /// An operator may close a pilot early with `pilot.results.requested`; the daily tick
    /// already in the timer queue then finds the results compiled, and later the deal
    /// decided. It has nothing left to do: no effect, and no `wrong_state` dead letter.
    @Test func aTickAfterEarlyResultsIsMoot() throws {
        var pilot = StageHarness()
        try pilot.prepare()
        try pilot.handle(.monitoring, pilot.event("pilot.signed"))
        for day in 1...3 {
            try pilot.handle(.monitoring, pilot.event("pilot.metrics") { $0["day"] = .int(Int64(day)) })
            try pilot.handle(.monitoring, pilot.tick(day: day))
        }
        let results = try pilot.handle(.results, pilot.event("pilot.results.requested") { data in
            data["days"] = 3
            data["period_end"] = "2026-12-04T00:00:00Z"
        })
        #expect(results.pilot?.status == "results_compiled")
        // The days judged stay in the state, for the buyer's page.
        #expect(results.pilot?.state["results_days"] == .int(3))
        // Judged on the three days it covers, and saying so, not on thirty with 27 missing.
        func text(_ suffix: String) throws -> String {
            try String(decoding: #require(results.documents.first { $0.path.hasSuffix(suffix) }).bytes, as: UTF8.self)
        }
        #expect(try text("pilot-results.md").contains("It was closed early: these results cover days 1–3, to "))
        // Its hours saved (2.5 h a day) against the target for three days at the whole pilot's
        // pace (51.4 h × 3 ÷ 30), not against the 51.4 h only 30 days could reach.
        #expect(try text("pilot-results.md").contains("Staff hours saved ≥ 5.1 h (≥ 51.4 h over the 30 days)"))
        let outcome = try JSONValue(parsing: Array(text("outcome.json").utf8))
        let hours = try #require(outcome["business_metrics"]?.array?.first { $0["metric"]?.string == "hours_saved" })
        #expect(hours["target"]?.number == 5.1 && hours["actual"]?.number == 7.5 && hours["met"]?.bool == true)
        // The body is quoted-printable: its soft line breaks joined again.
        let email = try text("results-email.eml").replacingOccurrences(of: "=\r\n", with: "").replacingOccurrences(of: "=\n", with: "")
        // Judged on its three days, it met every required criterion (on the whole 30-day
        // hours-saved target it would have failed).
        #expect(email.contains("The 30-day pilot of pilot-worker.dev at Acme Analytics was closed after day 3, and it met every required"))
        let inFlight = try pilot.handle(.monitoring, pilot.tick(day: 4))
        #expect(inFlight.events.isEmpty && inFlight.documents.isEmpty && inFlight.pilot == nil)

        let compiled = try #require(results.events.first { $0.event.type == "pilot.results.compiled" })
        let decided = try pilot.handle(.nextAction, compiled.event)
        #expect(["completed", "lost"].contains(decided.pilot?.status))
        let later = try pilot.handle(.monitoring, pilot.tick(day: 5))
        #expect(later.events.isEmpty && later.pilot == nil)
    }

    @Test func aWholePilotRunsToItsNextAction() throws {
        var pilot = StageHarness()
        try pilot.prepare()
        try pilot.handle(.monitoring, pilot.event("pilot.signed"))
        var last = StageOutcome()
        for day in 1...30 {
            try pilot.handle(.monitoring, pilot.event("pilot.metrics") { $0["day"] = .int(Int64(day)) })
            let before = try #require(pilot.snapshot.pilot?.state.object)
            last = try pilot.handle(.monitoring, pilot.tick(day: day))
            // A tick writes its memory (and on the last day the day the results were asked
            // for) into the stored state and leaves every other member as it was.
            var after = try #require(last.pilot?.state.object)
            #expect(after["health"]?.object?["score"] != nil, "day \(day)")
            #expect(after["results_requested_day"] == (day == 30 ? 30 : nil), "day \(day)")
            var unchanged = before
            for key in ["health", "results_requested_day"] {
                after[key] = nil
                unchanged[key] = nil
            }
            #expect(after == unchanged, "day \(day)")
            #expect(last.documents.contains { $0.path.hasSuffix("monitoring/day-\(String(format: "%02d", day)).json") })
            if day == 7 {
                #expect(last.types.contains("report.weekly"))
                #expect(last.documents.contains { $0.path.hasSuffix("progress-week-1.md") })
            }
        }
        let requested = try #require(last.events.first { $0.event.type == "pilot.results.requested" })
        #expect(!last.types.contains("pilot.monitor.tick"))
        // The period ends when the last tick was due (the harness's ticks have the `time`
        // 2026-11-25T09:00:00Z), not when it was scheduled a day before.
        #expect(requested.event.data["period_end"] == "2026-11-26T09:00:00Z")

        let results = try pilot.handle(.results, requested.event)
        #expect(results.pilot?.status == "results_compiled")
        #expect(results.documents.contains { $0.path.hasSuffix("pilot-results.md") })
        let compiled = try #require(results.events.first { $0.event.type == "pilot.results.compiled" })

        let next = try pilot.handle(.nextAction, compiled.event)
        #expect(next.types.contains("pilot.completed"))
        let success = compiled.event.data["status"] == "SUCCESS"
        #expect(next.types.contains(success ? "action.create" : "deal.lost"))
        #expect(next.pilot?.status == (success ? "completed" : "lost"))

        let again = try #require(throws: Refusal.self) { try pilot.handle(.nextAction, compiled.event) }
        #expect(again.reason == "wrong_state")
    }
}

extension JSONObject {
    /// Edits the object member `key` in place.
    fileprivate mutating func edit(_ key: String, _ change: (inout JSONObject) -> Void) {
        guard var member = self[key]?.object else { return }
        change(&member)
        self[key] = .object(member)
    }
}
