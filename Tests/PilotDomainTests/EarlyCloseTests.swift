import PilotDomain
import Testing

/// Results asked for before the pilot's last day judge a total against its target for the
/// days judged, at the whole pilot's daily pace; everything else as on that day.
@Suite struct EarlyCloseTests {
    typealias F = MonitoringFixtures

    @Test func aTotalsTargetForFewerDaysKeepsItsDailyPace() {
        let hours = F.criterion("hours_saved", target: 51.4, .atLeast, aggregation: "sum")
        // 51.4 × 20 ÷ 30 = 34.27, to one decimal as the derived target is.
        #expect(hours.target(forDays: 20, of: 30) == 34.3)
        #expect(hours.target(forDays: 1, of: 30) == 1.7)
        // The whole pilot, or more, is the whole target.
        #expect(hours.target(forDays: 30, of: 30) == 51.4)
        #expect(hours.target(forDays: 31, of: 30) == 51.4)
        // A mean, a minimum or a last value does not grow with the days.
        for aggregation in ["mean", "min", "max", "last"] {
            #expect(F.criterion("uptime_pct", target: 99.5, .atLeast, aggregation: aggregation).target(forDays: 20, of: 30) == 99.5)
        }
    }

    @Test func aPilotClosedOnDay20IsJudgedOnItsTwentyDays() throws {
        // 2 h a day: 40 h in 20 days, on pace for 60 h against 51.4.
        let metrics = (1...20).map { F.goodDay($0, hours: 2) }
        let closed = F.evaluate(metrics, day: 20, closing: true)
        let hours = try #require(closed.criterion(metric: "hours_saved"))
        #expect(hours.actual == 40)
        #expect(hours.criterion.target == 34.3)
        #expect(hours.wholePilotTarget == 51.4)
        #expect(hours.met && !hours.atRisk)
        // Nothing is projected onto days that will not be run.
        #expect(hours.projected == 40)
        #expect(closed.isClosedEarly)
        #expect(closed.verdict.status == .success, "\(closed.verdict.failureReasons)")

        // The same day while the pilot runs: the total so far against the whole target.
        let running = try #require(F.evaluate(metrics, day: 20).criterion(metric: "hours_saved"))
        #expect(running.criterion.target == 51.4 && running.wholePilotTarget == nil)
        #expect(!running.met && !running.atRisk && running.projected == 60)

        // Below the pace it fails as before: 1.5 h a day is 30 h against 34.3.
        let slow = F.evaluate((1...20).map { F.goodDay($0, hours: 1.5) }, day: 20, closing: true)
        #expect(slow.criterion(metric: "hours_saved")?.met == false)
        #expect(slow.verdict.status == .failed)
        #expect(slow.verdict.failureReasons.contains { $0.contains("34.3") }, "\(slow.verdict.failureReasons)")
    }

    @Test func closingOnTheLastDayChangesNothing() {
        let whole = F.evaluate(F.goodMonth, day: 30)
        let closing = F.evaluate(F.goodMonth, day: 30, closing: true)
        #expect(whole == closing)
    }

    @Test func theReportSaysWhatEachTotalWasJudgedAgainst() throws {
        let closed = F.evaluate((1...20).map { F.goodDay($0, hours: 2) }, day: 20, feedback: F.sixResponses, closing: true)
        let report = ResultsReport.render(evaluation: closed, startDate: F.startDate, timeZone: F.zone)
        #expect(report.contains("It was closed early: these results cover days 1–20, to "))
        #expect(report.contains(
            "Totals are judged against their targets for those 20 days, at the same daily pace: Staff hours saved ≥ 34.3 h (≥ 51.4 h over the 30 days)."))
        // The table's row: the target judged, and the weekly pace of the days judged (34.3 h × 7 ÷ 20).
        let row = try #require(report.split(separator: "\n").first { $0.hasPrefix("| Staff hours saved |") })
        #expect(row.contains("| ≥ 34.3 h | 40 h |"), "\(row)")
        #expect(row.contains("about 12 h per week"), "\(row)")
        // Not on a pilot that ran its course.
        let whole = ResultsReport.render(evaluation: F.successfulEnd, startDate: F.startDate, timeZone: F.zone)
        #expect(!whole.contains("Totals are judged"))
    }
}
