import Contracts
import Foundation
import PilotDomain
import PilotJSON
import Testing

/// The weekly report, its e-mail, the check-in invite and the daily snapshot.
@Suite struct WeeklyReportTests {
    typealias F = MonitoringFixtures

    /// Week 2: days 9 and 12 missing, a slow day 13 with few hours saved, a critical issue opened on day 10.
    static var weekTwo: PilotEvaluation {
        var metrics = F.goodMonth.filter { $0.day != 9 && $0.day != 12 && $0.day <= 14 }
        metrics = metrics.map { $0.day == 13 ? F.goodDay(13, latency: 480, hours: 0.5) : $0 }
        let issues = F.resolvedIssues + [F.issue("SUP-1050", .critical, reported: "2026-12-16T10:00:00Z",
            title: "Login | fails for *SSO* users")]
        return F.evaluate(metrics, day: 14, issues: issues, feedback: Array(F.sixResponses.prefix(3)))
    }

    static var report: String {
        WeeklyReport.render(week: 2, evaluation: weekTwo, startDate: F.startDate, timeZone: F.zone)
    }

    @Test func weekNumbersAndDays() {
        #expect(WeeklyReport.week(ofDay: 7) == 1)
        #expect(WeeklyReport.week(ofDay: 8) == 2)
        #expect(WeeklyReport.days(week: 2, durationDays: 30) == 8...14)
        #expect(WeeklyReport.days(week: 5, durationDays: 30) == 29...30)
        #expect(WeeklyReport.fileName(week: 3) == "progress-week-3.md")
    }

    @Test func headingAndSummary() {
        let report = Self.report
        #expect(report.hasPrefix("# Acme Analytics pilot: progress report, week 2\n\n"
            + "Days 8–14 of 30 (Monday, 14 December 2026 to Sunday, 20 December 2026). Phase: active usage.\n"))
        #expect(report.contains("\n12 of the 14 days so far have metrics. 5 of 6 required criteria are on track;"
            + " return on investment is at risk, and we propose a short check-in to go through it. 1 issue is open.\n"))
    }

    @Test func progressTableWithTrendArrows() {
        let report = Self.report
        #expect(report.contains("| Criterion | Target | This week | So far | Trend | Status |\n"))
        // Week mean (7 days less two missing) vs the mean since day 1.
        #expect(report.contains("| p95 latency (required) | ≤ 300 ms | 265.92 ms | 234.7 ms | → steady | Met |\n"))
        #expect(report.contains("| Staff hours saved (required) | ≥ 51.4 h | 8.7 h | 23.05 h, on pace for 53.78 h |"
            + " → steady | On track |\n"))
        #expect(report.contains("| Return on investment (required) | ≥ 150% | – | 147.7% | → steady | At risk |\n"))
        #expect(report.contains("| User satisfaction (NPS) | ≥ 30 | – | 100 (3 responses) | → steady | Met |\n"))
        #expect(report.contains("| Integrations working (Snowflake, Slack) | ≥ 100% | – | no data | → steady |"
            + " No data yet |\n"))
        #expect(report.contains("\nMetrics are missing for days 9 and 12.\n"))
    }

    @Test func issuesFeedbackNextStepsAndCharts() {
        let report = Self.report
        #expect(report.contains("This week: 2 issues opened, 1 resolved. Open now: 1 (1 critical).\n"))
        #expect(report.contains("- SUP-1043 (high): Slack alerts arrive twice. Reported 14 December 2026, resolved"
            + " 15 December 2026: Deduplicated the webhook deliveries.\n"))
        // Markdown in an issue title stays literal.
        #expect(report.contains("- SUP-1050 (critical): Login \\| fails for \\*SSO\\* users. Reported 16 December 2026;"
            + " still open.\n"))
        // SUP-1042 was resolved in week 1 and is not repeated.
        #expect(!report.contains("SUP-1042"))
        #expect(report.contains("3 responses: NPS 100, average score 9.3 out of 10 (3 promoters, 0 passives,"
            + " 0 detractors).\n\n> “The Monday digest now writes itself.” (Ravi Menon, Staff Data Engineer, 9/10)\n"))
        let nextSteps: String = [
            "## Next steps", "",
            "- Return on investment is 147.7% so far (13.45 h saved per week), below the ≥ 150% target. Raise the"
                + " hours saved; the return on investment follows them.",
            "- A 30-minute check-in this week to go through the criteria at risk; an invitation follows.",
            "- Make sure the daily metrics reach us: 2 days without data so far.",
            "- Resolve the open issue.",
            "- Next progress report: day 21 (Sunday, 27 December 2026).",
        ].joined(separator: "\n")
        #expect(report.contains(nextSteps + "\n"))
        #expect(report.contains("## Charts\n\n- [p95 latency](charts/latency_p95_ms.svg)\n"))
        #expect(report.contains("- [Staff hours saved](charts/hours_saved.svg)\n"))
        #expect(report.hasSuffix(".svg)\n"))
    }

    @Test func lastWeekPointsToTheResults() {
        let report = WeeklyReport.render(week: 4, evaluation: F.evaluate(F.goodMonth, day: 28), startDate: F.startDate,
            timeZone: F.zone, charts: false)
        #expect(report.contains("\nAll 28 days so far have metrics. All 6 required criteria are on track and met so far.\n"))
        #expect(report.contains("- The pilot ends on day 30 (Tuesday, 5 January 2027); the results report follows.\n"))
        #expect(report.contains("Every day so far has metrics."))
        #expect(!report.contains("## Charts"))
        // Week 3 announces the results phase (days 23–30).
        let week3 = WeeklyReport.render(week: 3, evaluation: F.evaluate(F.goodMonth, day: 21), startDate: F.startDate,
            timeZone: F.zone)
        #expect(week3.contains("- From day 23 the pilot enters its results and analysis phase"))
        #expect(week3.contains("All 6 required criteria are on track (5 met already)."))
    }

    @Test func reportWeeklyEventData() throws {
        let data = WeeklyReport.eventData(week: 2, reportPath: "threads/sales/acme-2026-11/progress-week-2.md",
            evaluation: Self.weekTwo)
        #expect(data == ["week": 2, "report_path": "threads/sales/acme-2026-11/progress-week-2.md",
            "at_risk": ["roi_pct"], "day": 14])
        let contracts = try Contracts(schemasDirectory: Fixtures.schemasDirectory)
        try contracts.validate(event: Fixtures.event(type: "report.weekly", data: data))
    }

    @Test func weeklyEmail() {
        let message = WeeklyEmail.message(thread: Fixtures.thread, week: 2, evaluation: Self.weekTwo,
            reportText: Self.report, now: Fixtures.now)
        #expect(message.subject == "Acme Analytics pilot: week 2 progress (1 at risk)")
        #expect(message.messageID == "progress-week-2.acme-2026-11@pilot-worker")
        #expect(message.to.map(\.email) == ["dana.whitfield@acme-analytics.com", "ravi.menon@acme-analytics.com",
            "laura.chen@acme-analytics.com"])
        let body = String(decoding: message.parts[0].body, as: UTF8.self)
        #expect(body.hasPrefix("Hi Dana, Ravi and Laura,\n\nHere is where the pilot of pilot-worker.dev at Acme"
            + " Analytics stands after week 2 (days 8–14 of 30)."))
        #expect(body.contains("- p95 latency: 234.7 ms (target ≤ 300 ms), met, steady\n"))
        #expect(body.contains("- Integrations working (Snowflake, Slack): no data yet (target ≥ 100%)\n"))
        #expect(body.contains("What needs attention:\n\n- Return on investment is 147.7% so far"))
        #expect(body.contains("We have no metrics for days 9 and 12;"))
        #expect(message.parts[1].disposition?.filename == "progress-week-2.md")
        // Deterministic.
        let again = WeeklyEmail.message(thread: Fixtures.thread, week: 2, evaluation: Self.weekTwo,
            reportText: Self.report, now: Fixtures.now)
        #expect(again.serialized() == message.serialized())
    }

    @Test func checkInInvitation() throws {
        let evaluation = Self.weekTwo
        // Sunday 20 December 2026, 10:00 UTC: the next business day with notice is Tuesday the 22nd.
        let now = Fixtures.utc("2026-12-20T10:00:00Z")
        let checkIn = CheckInInvitation(thread: Fixtures.thread, week: 2, evaluation: evaluation, now: now,
            timeZone: F.zone)
        #expect(checkIn.invite.uid == "checkin-week-2-acme-2026-11@pilot-worker")
        #expect(checkIn.slot.localStart.description == "2026-12-22 10:00")
        #expect(checkIn.slot.minutes == 30)
        #expect(checkIn.attendees == ["dana.whitfield@acme-analytics.com", "ravi.menon@acme-analytics.com",
            "sam@pilot-worker.dev"])
        #expect(checkIn.ics.contains("UID:checkin-week-2-acme-2026-11@pilot-worker\r\n"))
        #expect(checkIn.ics.contains("SUMMARY:Acme Analytics pilot check-in (week 2)\r\n"))
        #expect(checkIn.ics.contains("METHOD:REQUEST\r\n"))
        #expect(checkIn.invite.description.contains("   - Return on investment is 147.7% so far"))
        #expect(checkIn.email.messageID == "checkin-week-2.acme-2026-11@pilot-worker")
        #expect(checkIn.email.parts[1].mediaType == "text/calendar")
        let eml = String(decoding: checkIn.eml, as: UTF8.self)
        #expect(eml.contains("Subject: Acme Analytics pilot check-in: Tue 22 Dec, 10:00 America/New_York"))
        // The weekly e-mail names the slot when there is one.
        let weekly = WeeklyEmail.message(thread: Fixtures.thread, week: 2, evaluation: evaluation, reportText: "",
            now: now, checkIn: checkIn.slot)
        let body = String(decoding: weekly.parts[0].body, as: UTF8.self)
        #expect(body.contains("I have sent an invitation for a 30-minute check-in on Tuesday, 22 December 2026,"
            + " 10:00–10:30 (America/New_York, UTC-05:00)"))
    }

    @Test func dailySnapshot() throws {
        let snapshot = DailySnapshot(Self.weekTwo)
        #expect(DailySnapshot.fileName(day: 7) == "day-07.json")
        let json = snapshot.json
        #expect(json["day"] == 14)
        #expect(json["phase"] == "active_usage")
        #expect(json["reported"] == true)
        #expect(json["missing_days"] == [9, 12])
        let latency = try #require(json["criteria"]?.array?.first)
        #expect(latency == ["id": "latency_p95_ms", "metric": "latency_p95_ms", "required": true, "comparison": "<=",
            "target": 300, "unit": "ms", "aggregation": "mean", "day_value": 212.4, "so_far": 234.7, "met": true,
            "at_risk": false, "trend": "steady"])
        let hours = try #require(json["criteria"]?.array?.first { $0["metric"] == "hours_saved" })
        #expect(hours["projected"] == 53.78)
        #expect(hours["day_value"] == 2.05)
        #expect(json["alerts"]?.array?.map { $0["kind"] } == ["criterion_at_risk"])
        #expect(json["issues"]?["open_critical"] == ["SUP-1050"])
        #expect(json["feedback"] == ["nps": 100, "responses": 3, "average_score": 9.3])
        // Deterministic text, keys in a fixed order.
        let text = json.serialized()
        #expect(text.hasPrefix(#"{"day":14,"duration_days":30,"phase":"active_usage","phase_title":"Active usage","#))
        #expect(DailySnapshot(Self.weekTwo).json.serialized() == text)
    }
}
