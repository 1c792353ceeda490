import PilotDomain
import Testing

@Suite struct FeedbackAndROITests {
    typealias F = MonitoringFixtures

    @Test func npsWithNoResponses() {
        let summary = FeedbackSummary([])
        #expect(summary.nps == nil)
        #expect(summary.averageScore == nil)
        #expect(summary.count == 0)
        #expect(summary.quotes.isEmpty)
    }

    @Test func npsAllPromoters() {
        let summary = FeedbackSummary([F.feedback("a@x.test", 9), F.feedback("b@x.test", 10)])
        #expect(summary.nps == 100)
        #expect(summary.averageScore == 9.5)
    }

    @Test func npsAllDetractors() {
        let summary = FeedbackSummary([F.feedback("a@x.test", 0), F.feedback("b@x.test", 6)])
        #expect(summary.nps == -100)
        #expect(summary.averageScore == 3)
    }

    @Test func npsMixedRoundsToOneDecimal() {
        let summary = FeedbackSummary(F.sixResponses)
        // 3 promoters, 2 passives, 1 detractor: (3 − 1) / 6 = 33.333… → 33.3; average 49 / 6 → 8.2.
        #expect((summary.promoters, summary.passives, summary.detractors) == (3, 2, 1))
        #expect(summary.nps == 33.3)
        #expect(summary.averageScore == 8.2)
        // 2 promoters and one passive: 66.666… → 66.7.
        let two = FeedbackSummary([F.feedback("a@x.test", 9), F.feedback("b@x.test", 9), F.feedback("c@x.test", 7)])
        #expect(two.nps == 66.7)
        #expect(summary.quotes.map(\.score) == [9, 10, 6])
        #expect(summary.quotes.first?.comment == "The Monday digest now writes itself.")
    }

    @Test func theLatestResponsePerRespondentCounts() {
        let summary = FeedbackSummary([
            F.feedback("A@x.test", 3, at: "2026-12-20T10:00:00Z"),
            F.feedback("b@x.test", 9, at: "2026-12-19T10:00:00Z"),
            F.feedback("a@x.test", 10, at: "2026-12-21T10:00:00Z"),
            F.feedback("b@x.test", 2, at: "2026-12-18T10:00:00Z"),
        ])
        #expect(summary.count == 2)
        #expect(summary.nps == 100)
        #expect(summary.responses.map(\.score) == [9, 10])
    }

    @Test func roiDiscounted() throws {
        // Acme: USD 85 an hour, list price USD 48,000 at 50% off.
        let roi = ROICalculation(hoursSaved: Array(repeating: 2.05, count: 30), request: Fixtures.request)
        #expect(roi.totalHoursSaved == 61.5)
        #expect(roi.hoursSavedPerWeek == 14.35)  // 61.5 ÷ 30 × 7
        #expect(roi.annualBenefit == 63_427)  // 14.35 × 52 × 85
        #expect(roi.annualCost == 24_000)
        #expect(roi.roiPct == 164.3)  // (63,427 − 24,000) ÷ 24,000 × 100 = 164.28
        #expect(roi.paybackMonths == 4.5)  // 24,000 ÷ (63,427 ÷ 12) = 4.54
        #expect(!roi.isFree && !roi.currencyMismatch)
        let criterion = try #require(Fixtures.criteria.first { $0.metric == "roi_pct" })
        #expect(roi.meets(criterion))
        // 1 h a day: 7 h/week × 52 × 85 = 30,940 → 28.9%, below 150%.
        let low = ROICalculation(hoursSaved: [1, 1], request: Fixtures.request)
        #expect(low.roiPct == 28.9)
        #expect(!low.meets(criterion))
    }

    @Test func roiFreePilotIsUndefinedAndMetOnAnyBenefit() throws {
        var request = Fixtures.request
        request.terms.pricing = Pricing(model: .free, listPriceAnnual: 48_000, currency: "USD")
        let criterion = try #require(Fixtures.criteria.first { $0.metric == "roi_pct" })
        let roi = ROICalculation(hoursSaved: [1, 2], request: request)
        #expect(roi.isFree)
        #expect(roi.annualCost == 0)
        #expect(roi.roiPct == nil && roi.paybackMonths == nil)
        #expect(roi.annualBenefit == 46_410)  // 1.5 × 7 = 10.5 h/week × 52 × 85
        #expect(roi.meets(criterion))
        let nothing = ROICalculation(hoursSaved: [0, 0], request: request)
        #expect(nothing.annualBenefit == 0)
        #expect(!nothing.meets(criterion))
        // No hours reported at all: nothing to compute, not met.
        let none = ROICalculation(hoursSaved: [], request: request)
        #expect(none.annualBenefit == nil && !none.meets(criterion))

        let e = F.evaluate(F.goodMonth, day: 30, request: request)
        let item = try #require(e.criterion(metric: "roi_pct"))
        #expect(item.actual == nil && item.met && item.hasData)
        let report = ResultsReport.render(evaluation: e, startDate: F.startDate, timeZone: F.zone)
        #expect(report.contains("| Return on investment | ≥ 150% | n/a (free pilot) |"))
        #expect(report.contains("- ROI = n/a (free pilot): with no cost there is no ratio."))
        #expect(report.contains("- Annual cost = USD 0.00 (free pilot)"))
    }

    @Test func currencyMismatchIsFlagged() {
        var request = Fixtures.request
        request.qualification.baseline.currency = "EUR"
        let roi = ROICalculation(hoursSaved: [2], request: request)
        #expect(roi.currencyMismatch)
    }
}
