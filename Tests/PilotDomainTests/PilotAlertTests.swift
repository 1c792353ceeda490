import Contracts
import PilotDomain
import PilotJSON
import Testing

/// Each alert condition, its severity and the order.
@Suite struct PilotAlertTests {
    typealias F = MonitoringFixtures

    /// Ten good days, then `last` as day 11.
    func alerts(day11 last: PilotMetrics?, criteria: [Criterion] = Fixtures.criteria) -> [PilotAlert] {
        let metrics = (1...10).map { F.goodDay($0) } + (last.map { [$0] } ?? [])
        return F.evaluate(metrics, day: 11, criteria: criteria).alerts
    }

    @Test func aGoodDayRaisesNothing() {
        #expect(alerts(day11: F.goodDay(11)).isEmpty)
    }

    @Test func downtimeWarningAndCritical() throws {
        let warning = try #require(alerts(day11: F.goodDay(11, uptime: 99.0)).first)
        // 99.0 is below 99.5 but not below 98.5.
        #expect(warning == PilotAlert(kind: .downtime, severity: .warning, day: 11,
            message: "Uptime was 99% on day 11, below the 99.5% target.", metric: "uptime_pct"))
        let critical = alerts(day11: F.goodDay(11, uptime: 98.4))
        #expect(critical.first?.kind == .downtime)
        #expect(critical.first?.severity == .critical)
        // The worst day is the uptime criterion's actual: it is also at risk now.
        #expect(critical.map(\.kind) == [.downtime, .criterionAtRisk])
        // No uptime criterion, no downtime alert.
        let noUptime = Fixtures.criteria.filter { $0.metric != "uptime_pct" }
        #expect(alerts(day11: F.goodDay(11, uptime: 90), criteria: noUptime).isEmpty)
    }

    @Test func errorRateAboveTargetOrSpike() throws {
        // Above the 1% target (and above twice the 0.42% mean).
        let over = try #require(alerts(day11: F.goodDay(11, errorRate: 1.5)).first)
        #expect(over.kind == .errorRate && over.severity == .warning)
        #expect(over.message == "Error rate was 1.5% on day 11, above the 1% target and more than twice the 0.42%"
            + " average of the earlier days.")
        // Within target, but more than twice the running mean: a spike.
        let spike = try #require(alerts(day11: F.goodDay(11, errorRate: 0.9)).first)
        #expect(spike.kind == .errorRate && spike.severity == .warning)
        #expect(spike.message == "Error rate was 0.9% on day 11, more than twice the 0.42% average of the earlier days.")
        // Over twice the target: critical.
        #expect(alerts(day11: F.goodDay(11, errorRate: 2.5)).first?.severity == .critical)
        // Below both: nothing.
        #expect(alerts(day11: F.goodDay(11, errorRate: 0.8)).isEmpty)
    }

    @Test func missingMetricsInfoDuringSetupWarningAfter() throws {
        let setup = F.evaluate([F.goodDay(1)], day: 3).alerts
        #expect(setup == [PilotAlert(kind: .missingMetrics, severity: .info, day: 3,
            message: "No metrics were reported for day 3. Days without metrics so far: 2 and 3.")])
        let later = try #require(alerts(day11: nil).first)
        #expect(later == PilotAlert(kind: .missingMetrics, severity: .warning, day: 11,
            message: "No metrics were reported for day 11."))
    }

    @Test func criterionAtRiskForRequiredOnly() {
        // Slow latency all along: latency at risk. Accuracy not required in this set.
        let criteria = [
            F.criterion("latency_p95_ms", target: 300, .atMost, unit: "ms"),
            F.criterion("accuracy_pct", target: 99, .atLeast, required: false, unit: "%"),
        ]
        let metrics = (1...5).map { F.goodDay($0, latency: 350) }
        let alerts = F.evaluate(metrics, day: 5, criteria: criteria).alerts
        #expect(alerts == [PilotAlert(kind: .criterionAtRisk, severity: .warning, day: 5,
            message: "p95 latency averages 350 ms over the 5 days reported, above the ≤ 300 ms target.",
            metric: "latency_p95_ms")])
    }

    @Test func orderIsDowntimeErrorRateThenCriteria() throws {
        let alerts = alerts(day11: F.goodDay(11, uptime: 98, errorRate: 9, hours: 0))
        // A day without hours saved drags the ROI below its target too.
        #expect(alerts.map(\.kind) == [.downtime, .errorRate, .criterionAtRisk, .criterionAtRisk, .criterionAtRisk])
        #expect(alerts.compactMap(\.metric) == ["uptime_pct", "error_rate_pct", "uptime_pct", "error_rate_pct",
            "roi_pct"])
        // Each alert is valid alert.raised data.
        let contracts = try Contracts(schemasDirectory: Fixtures.schemasDirectory)
        for alert in alerts {
            try contracts.validate(event: Fixtures.event(type: "alert.raised", data: alert.json))
            #expect(try JSONValueEncoder().encode(alert) == alert.json)
        }
    }
}
