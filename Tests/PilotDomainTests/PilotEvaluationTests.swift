import PilotDomain
import Testing

/// Aggregations, at-risk, trends, missing days and phases.
@Suite struct PilotEvaluationTests {
    typealias F = MonitoringFixtures

    func day(_ day: Int, latency: Double? = nil, accuracy: Double? = nil, uptime: Double? = nil,
        errorRate: Double? = nil, hours: Double? = nil) -> PilotMetrics
    {
        PilotMetrics(day: day,
            technical: .init(latencyP95Ms: latency, accuracyPct: accuracy, uptimePct: uptime, errorRatePct: errorRate),
            business: hours.map { .init(hoursSaved: $0) })
    }

    @Test func everyAggregationOfTheDerivedCriteria() throws {
        // Out of order on purpose; day 3 has no report.
        let metrics = [
            day(4, latency: 400, accuracy: 90, uptime: 99.9, errorRate: 0.6, hours: 3),
            day(1, latency: 200, accuracy: 96, uptime: 99.8, errorRate: 0.2, hours: 1.5),
            day(2, latency: 300, accuracy: 99, uptime: 98.7, errorRate: 0.4, hours: 2),
        ]
        let e = F.evaluate(metrics, day: 4)
        // Mean of the daily p95 latencies.
        #expect(e.criterion(metric: "latency_p95_ms")?.actual == 300)
        // Mean accuracy: (96 + 99 + 90) / 3 = 95.
        #expect(e.criterion(metric: "accuracy_pct")?.actual == 95)
        // Minimum daily uptime, and the day it happened.
        let uptime = try #require(e.criterion(metric: "uptime_pct"))
        #expect(uptime.actual == 98.7)
        #expect(uptime.extremeDay == 2)
        #expect(!uptime.met && uptime.atRisk)
        // Mean error rate: 1.2 / 3 = 0.4.
        #expect(e.criterion(metric: "error_rate_pct")?.actual == 0.4)
        // Sum of hours saved.
        #expect(e.criterion(metric: "hours_saved")?.actual == 6.5)
        // The day's own values.
        #expect(e.criterion(metric: "latency_p95_ms")?.dayValue == 400)
        #expect(e.criterion(metric: "hours_saved")?.dayValue == 3)
        #expect(e.missingDays == [3])
        #expect(e.reportedDays == [1, 2, 4])
    }

    @Test func otherAggregationsAndRounding() {
        #expect(MetricAggregation.aggregate([3, 1, 2], "max") == 3)
        #expect(MetricAggregation.aggregate([3, 1, 2], "last") == 2)
        #expect(MetricAggregation.aggregate([3, 1, 2], "whatever") == 2)
        #expect(MetricAggregation.aggregate([], "mean") == nil)
        // Actuals are rounded to two decimals before they are judged: 1.004 meets ≤ 1.
        let metrics = [day(1, errorRate: 1.004), day(2, errorRate: 1.004)]
        let e = F.evaluate(metrics, day: 2)
        #expect(e.criterion(metric: "error_rate_pct")?.actual == 1)
        #expect(e.criterion(metric: "error_rate_pct")?.met == true)
    }

    @Test func laterReportForTheSameDayWinsAndFutureDaysAreIgnored() {
        let metrics = [day(1, latency: 900), day(1, latency: 250), day(2, latency: 100), day(5, latency: 1)]
        let e = F.evaluate(metrics, day: 1)
        #expect(e.criterion(metric: "latency_p95_ms")?.actual == 250)
        #expect(e.reports.count == 1)
    }

    @Test func sumsAreAtRiskWhenTheProjectionFallsShort() throws {
        // Target 51.4 h over 30 days. 1.5 h a day for 10 days: 15 + 1.5 × 20 = 45 → at risk.
        let slow = F.evaluate((1...10).map { day($0, hours: 1.5) }, day: 10)
        let hours = try #require(slow.criterion(metric: "hours_saved"))
        #expect(hours.actual == 15)
        #expect(hours.projected == 45)
        #expect(!hours.met && hours.atRisk)
        // 2 h a day: 20 + 40 = 60 → on track though not met yet.
        let fast = F.evaluate((1...10).map { day($0, hours: 2) }, day: 10)
        #expect(fast.criterion(metric: "hours_saved")?.projected == 60)
        #expect(fast.criterion(metric: "hours_saved")?.atRisk == false)
        // A missed day counts as nothing: 9 reports of 2 h on days 1–10 → 18 + 2 × 20 = 58.
        let gap = F.evaluate((1...10).filter { $0 != 4 }.map { day($0, hours: 2) }, day: 10)
        #expect(gap.criterion(metric: "hours_saved")?.projected == 58)
    }

    @Test func onlyRequiredCriteriaWithDataAreAtRisk() {
        let criteria = [
            F.criterion("latency_p95_ms", target: 300, .atMost),
            F.criterion("accuracy_pct", target: 95, .atLeast, required: false),
            F.criterion("uptime_pct", target: 99, .atLeast, aggregation: "min"),
        ]
        let e = F.evaluate([day(1, latency: 350, accuracy: 90)], day: 1, criteria: criteria)
        #expect(e.criteria.map(\.atRisk) == [true, false, false])
        #expect(e.criteria.map(\.met) == [false, false, false])
        #expect(e.criteria.map { CriterionStatus($0) } == [.atRisk, .behind, .noData])
        #expect(e.atRisk.map(\.criterion.metric) == ["latency_p95_ms"])
    }

    @Test func trends() {
        #expect(Trend.of([300, 280, 250], comparison: .atMost, target: 300) == .improving)
        #expect(Trend.of([250, 280, 300], comparison: .atMost, target: 300) == .worsening)
        #expect(Trend.of([99.9, 99.5, 99.1], comparison: .atLeast, target: 99.5) == .worsening)
        #expect(Trend.of([95, 96, 97], comparison: .atLeast, target: 95) == .improving)
        // Only the last three count: the drop from 500 is old news.
        #expect(Trend.of([500, 250, 260, 250], comparison: .atMost, target: 300) == .steady)
        // Within 0.1% of the target is steady; one value is steady.
        #expect(Trend.of([250, 250.2], comparison: .atMost, target: 300) == .steady)
        #expect(Trend.of([250], comparison: .atMost, target: 300) == .steady)
        let e = F.evaluate([day(1, latency: 320), day(2, latency: 300), day(3, latency: 280)], day: 3)
        #expect(e.criterion(metric: "latency_p95_ms")?.trend == .improving)
        #expect(Trend.improving.label == "↑ improving")
    }

    @Test(arguments: [
        (14, 3, PilotPhase.setup), (14, 4, .activeUsage), (14, 10, .activeUsage), (14, 11, .results),
        (14, 14, .results), (30, 1, .setup), (30, 7, .setup), (30, 8, .activeUsage), (30, 22, .activeUsage),
        (30, 23, .results), (30, 30, .results),
    ])
    func phasesAtTheBoundaries(duration: Int, day: Int, phase: PilotPhase) {
        #expect(F.evaluate([], day: day, durationDays: duration).phase == phase)
    }

    @Test func dayIsClampedToThePilot() {
        let e = F.evaluate([], day: 40, durationDays: 14)
        #expect(e.day == 14)
        #expect(e.isLastDay)
        #expect(e.missingDays == Array(1...14))
        #expect(F.evaluate([], day: 0).day == 1)
    }

    @Test func roiAndNPSCriteriaComeFromHoursAndFeedback() throws {
        let e = F.successfulEnd
        let roi = try #require(e.criterion(metric: "roi_pct"))
        #expect(roi.actual == 164.3)
        #expect(roi.met && !roi.atRisk)
        #expect(roi.dayValue == nil)
        let nps = try #require(e.criterion(metric: "nps"))
        #expect(nps.actual == 33.3)
        #expect(nps.met)
        // No event reports integrations: no data, not met, not required.
        let integrations = try #require(e.criterion(metric: "integrations_working_pct"))
        #expect(integrations.actual == nil && !integrations.met && !integrations.hasData)
    }
}
