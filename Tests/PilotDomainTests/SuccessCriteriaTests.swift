import PilotDomain
import Testing

@Suite struct SuccessCriteriaTests {
    @Test func fullQualificationGivesEveryCriterionInOrder() {
        let criteria = Fixtures.criteria
        #expect(criteria.map(\.id) == ["latency_p95_ms", "accuracy_pct", "uptime_pct", "error_rate_pct",
            "integrations_working_pct", "hours_saved", "roi_pct", "nps"])
        #expect(criteria[0] == Criterion(id: "latency_p95_ms", kind: .technical, metric: "latency_p95_ms",
            target: 300, comparison: .atMost, unit: "ms", required: true, aggregation: "mean"))
        #expect(criteria[2].aggregation == "min")
        #expect(criteria[2].comparison == .atLeast)
        #expect(criteria[3].comparison == .atMost)
        #expect(criteria[4] == Criterion(id: "integrations_working_pct", kind: .technical,
            metric: "integrations_working_pct", target: 100, comparison: .atLeast, unit: "%", required: false,
            aggregation: "last"))
        // 40 h/week × 30 % = 12 h/week, over 30 days: 12 × 30 / 7 = 51.43 → 51.4.
        #expect(criteria[5] == Criterion(id: "hours_saved", kind: .business, metric: "hours_saved", target: 51.4,
            comparison: .atLeast, unit: "h", required: true, aggregation: "sum"))
        #expect(criteria[6].target == 150 && criteria[6].required)
        #expect(criteria[7].target == 30 && !criteria[7].required)
        #expect(criteria.filter { $0.kind == .technical }.count == 5)
    }

    @Test func defaultsFillInAndAreReportedOnly() {
        let qualification = Qualification(painPoints: [], technicalTargets: TechnicalTargets(),
            baseline: Baseline(hoursPerWeek: 10, hourlyCost: 50, currency: "EUR"))
        let criteria = SuccessCriteria.derive(from: qualification, durationDays: 14)
        #expect(criteria.map(\.id) == ["hours_saved", "roi_pct", "nps"])
        // 10 h/week × 20 % = 2 h/week, over 14 days = 4 h.
        #expect(criteria[0].target == 4)
        #expect(criteria.allSatisfy { !$0.required })
        #expect(criteria[1].target == 100)
        #expect(criteria[2].target == 30)
        #expect(SuccessCriteria.weeklyHoursSavedTarget(qualification) == 2)
    }

    @Test func onlyTheTargetsGivenBecomeTechnicalCriteria() {
        let qualification = Qualification(painPoints: [], technicalTargets: TechnicalTargets(uptimePct: 99.9),
            integrations: [], baseline: Baseline(hoursPerWeek: 0, hourlyCost: 0, currency: "USD"),
            roiTargetPct: 50)
        let criteria = SuccessCriteria.derive(from: qualification, durationDays: 30)
        // No integrations listed, no hours to save.
        #expect(criteria.map(\.id) == ["uptime_pct", "roi_pct", "nps"])
        #expect(criteria[1].required)
    }

    @Test func customDefaults() {
        var defaults = SuccessCriteria.Defaults()
        defaults.roiTargetPct = 200
        defaults.satisfactionTargetNPS = 10
        let qualification = Qualification(painPoints: [], technicalTargets: TechnicalTargets(),
            baseline: Baseline(hoursPerWeek: 0, hourlyCost: 0, currency: "USD"))
        let criteria = SuccessCriteria.derive(from: qualification, durationDays: 30, defaults: defaults)
        #expect(criteria.map(\.target) == [200, 10])
    }

    @Test func criterionInWords() {
        let criteria = Fixtures.criteria
        let latency = CriterionText(criteria[0], durationDays: 30)
        #expect(latency.name == "p95 latency")
        #expect(latency.target == "≤ 300 ms")
        #expect(latency.howMeasured == "Mean of the daily 95th-percentile response times")
        #expect(CriterionText(criteria[2], durationDays: 30).howMeasured == "Lowest daily availability")
        #expect(CriterionText(criteria[2], durationDays: 30).target == "≥ 99.5%")
        #expect(CriterionText(criteria[4], durationDays: 30, integrations: ["Snowflake", "Slack"]).name
            == "Integrations working (Snowflake, Slack)")
        #expect(CriterionText(criteria[5], durationDays: 30).howMeasured.hasSuffix("(about 12 h per week)"))
        #expect(CriterionText(criteria[7], durationDays: 30).target == "≥ 30")
        let custom = Criterion(id: "tickets", kind: .business, metric: "tickets_closed", target: 12.5,
            comparison: .atLeast, unit: "", required: false, aggregation: "max")
        #expect(CriterionText(custom, durationDays: 30).name == "Tickets closed")
        #expect(CriterionText(custom, durationDays: 30).target == "≥ 12.5")
        #expect(CriterionText(custom, durationDays: 30).howMeasured == "Highest daily tickets closed")
    }

    @Test func phases() {
        #expect(PilotPhase.setup.days(durationDays: 30) == 1...7)
        #expect(PilotPhase.activeUsage.days(durationDays: 30) == 8...22)
        #expect(PilotPhase.results.days(durationDays: 30) == 23...30)
        #expect(PilotPhase.results.days(durationDays: 14) == 11...14)
        for duration in 14...30 {
            for day in 1...duration {
                let phase = PilotPhase.of(day: day, durationDays: duration)
                #expect(phase.days(durationDays: duration).contains(day), "day \(day) of \(duration)")
            }
        }
    }
}
