import Contracts
import Foundation
import PilotDomain
import PilotJSON
import Testing

/// The health score's factors, labels and reasons, pure.
@Suite struct HealthScoreTests {
    typealias F = MonitoringFixtures

    /// A required p95 latency ≤ 500 ms and a reported uptime ≥ 99.5%, both measured every day.
    static let twoCriteria = [
        F.criterion("latency_p95_ms", target: 500, .atMost, unit: "ms"),
        F.criterion("uptime_pct", target: 99.5, .atLeast, required: false, unit: "%"),
    ]

    static func days(_ range: ClosedRange<Int>, latency: Double = 450, uptime: Double = 99.9) -> [PilotMetrics] {
        range.map { F.goodDay($0, latency: latency, uptime: uptime) }
    }

    @Test func shortfallIsTheGapOverTheRoomAMetricHas() {
        let latency = F.criterion("latency_p95_ms", target: 500, .atMost, unit: "ms")
        let uptime = F.criterion("uptime_pct", target: 99.5, .atLeast, unit: "%")
        let nps = F.criterion("nps", target: 30, .atLeast)
        func item(_ c: Criterion, _ metrics: [PilotMetrics], day: Int) -> CriterionEvaluation {
            F.evaluate(metrics, day: day, criteria: [c]).criteria[0]
        }
        // 600 ms against ≤ 500 ms: 100 over a target of 500.
        #expect(HealthFactor.shortfall(item(latency, Self.days(1...10, latency: 600), day: 10), phase: .activeUsage) == 0.2)
        // 99.25% against ≥ 99.5%: a quarter point short of the half point of room to 100%.
        #expect(HealthFactor.shortfall(item(uptime, Self.days(1...10, uptime: 99.25), day: 10), phase: .activeUsage) == 0.5)
        #expect(HealthFactor.shortfall(item(uptime, Self.days(1...10, uptime: 97), day: 10), phase: .activeUsage) == 1)
        #expect(HealthFactor.shortfall(item(latency, Self.days(1...10), day: 10), phase: .activeUsage) == 0)
        // No data: free during setup, half after it; NPS leaves the missing responses to the feedback factor.
        #expect(HealthFactor.shortfall(item(latency, [], day: 3), phase: .setup) == 0)
        #expect(HealthFactor.shortfall(item(latency, [], day: 10), phase: .activeUsage) == 0.5)
        #expect(HealthFactor.shortfall(item(nps, [], day: 10), phase: .activeUsage) == 0)
    }

    @Test func requiredCriteriaWeighThreeTimesAsMuchAsReportedOnes() throws {
        let evaluation = F.evaluate(Self.days(1...10, latency: 600, uptime: 98), day: 10, criteria: Self.twoCriteria)
        let health = HealthScore(evaluation)
        let latency = try #require(health.factor("criterion.latency_p95_ms"))
        let uptime = try #require(health.factor("criterion.uptime_pct"))
        #expect(latency.maxPoints == 45)
        #expect(uptime.maxPoints == 15)
        #expect(uptime.pointsLost == 15)
        // 0.2 of 45 is 9, but a required criterion at risk fails the pilot: at least 20.
        #expect(latency.pointsLost == 20)
        let reported = HealthScore(F.evaluate(Self.days(1...10, latency: 600), day: 10,
            criteria: [Self.twoCriteria[0].reported, Self.twoCriteria[1]]))
        #expect(reported.factor("criterion.latency_p95_ms")?.pointsLost == 6)
        #expect(health.factors.map(\.name) == ["criterion.latency_p95_ms", "criterion.uptime_pct", "open_issues",
            "missing_data", "feedback"])
        #expect(health.score == 65)
        #expect(health.label == .concerning)
        #expect(latency.sentence.contains("600 ms"))
        #expect(latency.sentence.contains("≤ 500 ms"))
    }

    @Test func openIssuesCostBySeverityUpToTwentyPoints() throws {
        func lost(_ issues: [PilotIssue]) -> Double? {
            HealthScore(F.evaluate(Self.days(1...10), day: 10, criteria: Self.twoCriteria, issues: issues))
                .factor("open_issues")?.pointsLost
        }
        #expect(lost([]) == 0)
        #expect(lost([F.issue("SUP-1", .high), F.issue("SUP-2", .medium), F.issue("SUP-3", .low, resolved: "2026-12-10T09:00:00Z")]) == 11)
        #expect(lost([F.issue("SUP-1", .critical)]) == 20)
        #expect(lost([F.issue("SUP-1", .critical), F.issue("SUP-2", .high)]) == 20)
        let sentence = HealthScore(F.evaluate([], day: 10, criteria: Self.twoCriteria,
            issues: [F.issue("SUP-1", .high), F.issue("SUP-2", .medium)])).factor("open_issues")?.sentence
        #expect(sentence == "2 open issues: 1 high (SUP-1) and 1 medium (SUP-2).")
    }

    @Test func missingDataCountsOnlyTheDaysAfterSetup() throws {
        // Days 1–7 are setup in 30 days; days 9 and 10 of the 3 since then have no metrics.
        let late = HealthScore(F.evaluate(Self.days(1...8), day: 10, criteria: Self.twoCriteria)).factor("missing_data")
        #expect(late?.pointsLost == 6.7)
        #expect(late?.sentence == "2 of the 3 days since the setup phase have no metrics (days 9 and 10).")
        let setup = HealthScore(F.evaluate([], day: 5, criteria: Self.twoCriteria))
        #expect(setup.factor("missing_data")?.pointsLost == 0)
        #expect(setup.score == 100)
    }

    @Test func feedbackCountsFromTheMiddleOrByItsNPS() {
        #expect(HealthFactor.middleDay(durationDays: 30) == 15)
        #expect(HealthFactor.middleDay(durationDays: 15) == 8)
        func lost(day: Int, _ feedback: [PilotFeedback]) -> Double? {
            HealthScore(F.evaluate(Self.days(1...day), day: day, criteria: Self.twoCriteria, feedback: feedback))
                .factor("feedback")?.pointsLost
        }
        #expect(lost(day: 14, []) == 0)
        #expect(lost(day: 15, []) == 10)
        // NPS 33.3: 10 × 66.7 / 200.
        #expect(lost(day: 20, F.sixResponses) == 3.3)
    }

    @Test func labelsAreHealthyFrom85ConcerningFrom60() {
        #expect(HealthScore.Label.of(score: 100) == .healthy)
        #expect(HealthScore.Label.of(score: 85) == .healthy)
        #expect(HealthScore.Label.of(score: 84) == .concerning)
        #expect(HealthScore.Label.of(score: 65) == .concerning)
        #expect(HealthScore.Label.of(score: 64) == .poor)
        #expect(HealthScore.Label.of(score: 0) == .poor)
    }

    @Test func aSuccessfulMonthIsHealthyAndASilentOneIsPoor() {
        #expect(HealthScore(F.successfulEnd).label == .healthy)
        let silent = HealthScore(F.evaluate([], day: 20))
        #expect(silent.label == .poor, "\(silent.score): \(silent.factors.map(\.sentence))")
    }

    /// A score whose factors lose `lost` points each, by name.
    static func score(_ lost: [(String, Double)]) -> HealthScore {
        var score = HealthScore(F.evaluate([], day: 1, criteria: []))
        score.factors = lost.map { HealthFactor(name: $0.0, pointsLost: $0.1, maxPoints: 20, sentence: "\($0.0) says why.") }
        return score
    }

    @Test func reasonsAreTheFactorsThatMovedMostSinceTheWeekBefore() {
        let before = Self.score([("a", 2), ("b", 5), ("c", 0), ("d", 4), ("e", 1)])
        let today = Self.score([("a", 10), ("b", 5), ("c", 3), ("d", 0), ("e", 1.5)])
        let reasons = PilotHealth.reasons(today: today, weekBefore: before)
        #expect(reasons.map(\.factor.name) == ["a", "d", "c"])
        #expect(reasons.map(\.change) == [8, -4, 3])
        #expect(reasons[0].text == "a says why (−10 points; 8 more than a week before).")
        #expect(reasons[1].text == "d says why (−0 points; 4 fewer than a week before).")
    }

    @Test func withoutAWeekBeforeOrMovementTheReasonsAreTheBiggestFactors() {
        let today = Self.score([("a", 2), ("b", 5), ("c", 0), ("d", 4), ("e", 1), ("f", 0.5)])
        let first = PilotHealth.reasons(today: today, weekBefore: nil)
        #expect(first.map(\.factor.name) == ["b", "d", "a"])
        #expect(first.allSatisfy { $0.change == nil })
        #expect(first[0].text == "b says why (−5 points).")
        #expect(PilotHealth.reasons(today: today, weekBefore: today).map(\.factor.name) == ["b", "d", "a"])
        #expect(PilotHealth.reasons(today: Self.score([("a", 0), ("b", 0.5)]), weekBefore: nil).isEmpty)
    }

    @Test func oneSeriousProblemIsConcerningAndTwoArePoor() {
        let metrics = Self.days(1...10, latency: 600)
        let one = HealthScore(F.evaluate(metrics, day: 10, criteria: [Self.twoCriteria[0]]))
        #expect(one.score == 80)
        #expect(one.label == .concerning)
        let two = HealthScore(F.evaluate(metrics, day: 10, criteria: [Self.twoCriteria[0]], issues: [F.issue("SUP-1", .critical)]))
        #expect(two.score == 60)
        #expect(two.label == .poor)
    }

    @Test func theHealthGoesIntoTheSnapshotTheWeeklyEventAndTheReport() throws {
        let today = F.evaluate(Self.days(1...14, latency: 600), day: 14, criteria: Self.twoCriteria)
        let weekBefore = F.evaluate(Self.days(1...7), day: 7, criteria: Self.twoCriteria)
        let health = PilotHealth(today: today, weekBefore: weekBefore)
        #expect(health.reasons.first?.factor.name == "criterion.latency_p95_ms")
        #expect(health.reasons.first?.change == 20)

        let snapshot = DailySnapshot(today, health: health).json
        #expect(snapshot["health"]?["score"] == .int(Int64(health.score.score)))
        #expect(snapshot["health"]?["factors"]?.array?.count == 5)
        #expect(DailySnapshot(today).json["health"] == nil)

        let data = WeeklyReport.eventData(week: 2, reportPath: "threads/sales/acme-2026-11/progress-week-2.md",
            evaluation: today, health: health)
        #expect(data["health"]?["label"] == .string(health.score.label.rawValue))
        #expect(data["health"]?["reasons"]?.array?.count == health.reasons.count)
        let contracts = try Contracts(schemasDirectory: Fixtures.schemasDirectory)
        try contracts.validate(event: Fixtures.event(type: "report.weekly", data: data))

        let report = WeeklyReport.render(week: 2, evaluation: today, startDate: F.startDate, timeZone: F.zone, health: health)
        #expect(report.contains("## Health\n\nHealth score: **\(health.score.score)/100**, "))
        #expect(!WeeklyReport.render(week: 2, evaluation: today, startDate: F.startDate, timeZone: F.zone).contains("## Health"))
    }

    @Test func theStalledAlertIsValidAlertData() throws {
        let alert = PilotAlert.stalled(day: 9, since: 2, company: "Acme Analytics")
        #expect(alert.message == "No metrics, issues or feedback from Acme Analytics since day 2 (7 pilot days): the pilot is stalled.")
        let contracts = try Contracts(schemasDirectory: Fixtures.schemasDirectory)
        try contracts.validate(event: Fixtures.event(type: "alert.raised", data: alert.json))
    }

    /// The week before is scored without sentences; its points must be today's rules all the same.
    @Test func aScoreWithoutSentencesHasTheSamePoints() {
        var evaluations: [PilotEvaluation] = []
        for day in [3, 10, 15, 22, 30] {
            for latency in [210.0, 480, 600, 900] {
                for issues in [[], [F.issue("SUP-1", .critical)], [F.issue("SUP-2", .medium), F.issue("SUP-3", .low, resolved: "2026-12-05T10:00:00Z")]] {
                    for feedback in [[], F.sixResponses] {
                        let days = Self.days(1...day, latency: latency, uptime: latency > 500 ? 98 : 99.9).filter { $0.day % 4 != 0 }
                        evaluations.append(F.evaluate(days, day: day, criteria: Self.twoCriteria, issues: issues, feedback: feedback))
                    }
                }
            }
        }
        evaluations.append(F.evaluate([], day: 12, criteria: []))
        for evaluation in evaluations {
            let described = HealthScore(evaluation)
            let bare = HealthScore(evaluation, describing: false)
            #expect(bare.factors.map(\.name) == described.factors.map(\.name))
            #expect(bare.factors.map(\.pointsLost) == described.factors.map(\.pointsLost))
            #expect(bare.factors.map(\.maxPoints) == described.factors.map(\.maxPoints))
            #expect(bare.score == described.score)
            #expect(bare.label == described.label)
            #expect(bare.day == described.day)
            #expect(bare.factors.allSatisfy { $0.sentence.isEmpty })
            #expect(described.factors.allSatisfy { !$0.sentence.isEmpty })
        }
        // Not one score for all: the evaluations lose points in many ways.
        #expect(Set(evaluations.map { HealthScore($0).score }).count > 10)
    }
}

extension Criterion {
    /// The same criterion, only reported.
    var reported: Criterion {
        var copy = self
        copy.required = false
        return copy
    }

}
