import Contracts
import PilotDomain
import PilotJSON
import Testing

/// The status rule, failure reasons and the outcome against the schemas.
@Suite struct PilotVerdictTests {
    typealias F = MonitoringFixtures
    let contracts: Contracts

    init() throws {
        contracts = try Contracts(schemasDirectory: Fixtures.schemasDirectory)
    }

    @Test func allRequiredMetIsSuccess() {
        let verdict = F.successfulEnd.verdict
        #expect(verdict.status == .success)
        #expect(verdict.failureReasons.isEmpty)
        #expect(verdict.nextAction == .salesClose)
    }

    @Test func oneRequiredMissedFails() {
        let metrics = F.goodMonth.map { F.goodDay($0.day, latency: 412) }
        let verdict = F.evaluate(metrics, day: 30, feedback: F.sixResponses).verdict
        #expect(verdict.status == .failed)
        #expect(verdict.failureReasons == ["p95 latency averaged 412 ms against a target of ≤ 300 ms"])
        #expect(verdict.nextAction == PilotOutcome.NextAction.none)
    }

    @Test func anOpenCriticalIssueFails() {
        let issues = F.resolvedIssues + [F.issue("SUP-1050", .critical, title: "Login fails for SSO users"),
            F.issue("SUP-1051", .high, title: "Slow export")]
        let verdict = F.evaluate(F.goodMonth, day: 30, issues: issues).verdict
        #expect(verdict.status == .failed)
        #expect(verdict.failureReasons == ["Critical issue SUP-1050 (Login fails for SSO users) is still unresolved"])
        // Resolved, it no longer counts; an open high issue never fails a pilot.
        let fixed = issues.map { issue -> PilotIssue in
            var issue = issue
            if issue.issueID == "SUP-1050" {
                issue.status = .resolved
                issue.resolvedAt = Fixtures.utc("2026-12-20T10:00:00Z")
            }
            return issue
        }
        #expect(F.evaluate(F.goodMonth, day: 30, issues: fixed).verdict.status == .success)
    }

    @Test func reportedOnlyCriteriaNeverFail() {
        // NPS (not required) far below target, and no integration data at all.
        let unhappy = [F.feedback("a@x.test", 2), F.feedback("b@x.test", 5)]
        let e = F.evaluate(F.goodMonth, day: 30, feedback: unhappy)
        #expect(e.criterion(metric: "nps")?.met == false)
        #expect(e.verdict.status == .success)
    }

    @Test func failureSentencesPerKind() {
        var metrics = F.goodMonth.map { F.goodDay($0.day, errorRate: 1.3, hours: 1) }
        metrics[8] = F.goodDay(9, uptime: 97.2, errorRate: 1.3, hours: 1)
        var criteria = Fixtures.criteria
        criteria[7].required = true  // NPS
        let reasons = F.evaluate(metrics, day: 30, criteria: criteria).verdict.failureReasons
        #expect(reasons == [
            "Uptime fell to 97.2% on day 9 against a target of ≥ 99.5%",
            "Error rate averaged 1.3% against a target of ≤ 1%",
            "Staff hours saved totalled 30 h against a target of ≥ 51.4 h",
            "Return on investment came to 28.9% (USD 30,940.00 a year in staff hours saved against USD 24,000.00 a"
                + " year) against a target of ≥ 150%",
            "No feedback responses were received, so user satisfaction (NPS) could not be measured (target ≥ 30)",
        ])
        let empty = F.evaluate([], day: 30).verdict.failureReasons
        #expect(empty.first == "No p95 latency data was reported during the pilot (target ≤ 300 ms)")
        #expect(empty.contains("No staff hours saved were reported, so the return on investment could not be measured"
            + " (target ≥ 150%)"))
    }

    @Test func longReasonsAreClippedToOneSchemaLine() throws {
        let title = String(repeating: "Very long title ", count: 18) + "end"  // 291 characters
        let issue = F.issue(String(repeating: "X", count: 100), .critical, title: title + title)
        let reasons = F.evaluate(F.goodMonth, day: 30, issues: [issue]).verdict.failureReasons
        #expect(reasons.count == 1)
        #expect(reasons[0].unicodeScalars.count == 500)
        #expect(reasons[0].hasSuffix("…"))
    }

    @Test func successOutcomeMatchesPilotCompleted() throws {
        let outcome = PilotOutcome(F.successfulEnd, resultsPath: "threads/sales/acme-2026-11/pilot-results.md")
        let data = try JSONValueEncoder().encode(outcome)
        try contracts.validate(event: Fixtures.event(type: "pilot.completed", data: data))
        #expect(data == outcome.completedData)
        #expect(data["status"] == "SUCCESS")
        #expect(data["next_action"] == "sales:close")
        #expect(data["technical_metrics"]?.array?.map { $0["metric"] } == ["latency_p95_ms", "accuracy_pct",
            "uptime_pct", "error_rate_pct", "integrations_working_pct"])
        #expect(data["technical_metrics"]?.array?[0] == ["metric": "latency_p95_ms", "target": 300, "comparison": "<=",
            "actual": 212.4, "met": true, "unit": "ms"])
        // No data is an explicit null, not a missing member.
        #expect(data["technical_metrics"]?.array?[4]["actual"] == .null)
        #expect(data["business_metrics"]?.array?.map { $0["actual"] } == [61.5, 164.3, 33.3])
        #expect(data["user_feedback"] == ["nps": 33.3, "responses": 6, "average_score": 8.2])
        #expect(data["issues"] == ["resolved": 2, "unresolved": 0])
        #expect(data["failure_reasons"] == nil)
        // Decodes back, failure reasons aside (not part of pilot.completed).
        #expect(try JSONValueDecoder().decode(PilotOutcome.self, from: data) == outcome)
    }

    @Test func failedOutcomeMatchesBothSchemasAndKeepsItsReasons() throws {
        let issues = [F.issue("SUP-1050", .critical, title: "Login fails")]
        let outcome = PilotOutcome(F.evaluate([], day: 30, issues: issues))
        #expect(outcome.status == .failed)
        #expect(outcome.nextAction == PilotOutcome.NextAction.none)
        let completed = try JSONValueEncoder().encode(outcome)
        try contracts.validate(event: Fixtures.event(type: "pilot.completed", data: completed))
        #expect(completed["user_feedback"] == ["nps": nil, "responses": 0, "average_score": nil])
        #expect(completed["issues"] == ["resolved": 0, "unresolved": 1])

        let compiled = outcome.compiledData(resultsPath: "threads/sales/acme-2026-11/pilot-results.md",
            outcomePath: "threads/sales/acme-2026-11/outcome.json")
        try contracts.validate(event: Fixtures.event(type: "pilot.results.compiled", data: compiled))
        #expect(compiled["failure_reasons"]?.array?.count == outcome.failureReasons.count)
        #expect(outcome.failureReasons.last == "Critical issue SUP-1050 (Login fails) is still unresolved")
        // outcome.json keeps the reasons, and every shape decodes back to the same outcome.
        #expect(outcome.document["failure_reasons"] == compiled["failure_reasons"])
        #expect(try JSONValueDecoder().decode(PilotOutcome.self, from: outcome.document) == outcome)
        var withPath = outcome
        withPath.resultsPath = "threads/sales/acme-2026-11/pilot-results.md"
        #expect(try JSONValueDecoder().decode(PilotOutcome.self, from: compiled) == withPath)
    }

    @Test func freePilotROIRowHasNoFigure() throws {
        var request = Fixtures.request
        request.terms.pricing = Pricing(model: .free, listPriceAnnual: 48_000, currency: "USD")
        let outcome = PilotOutcome(F.evaluate(F.goodMonth, day: 30, request: request))
        let data = try JSONValueEncoder().encode(outcome)
        try contracts.validate(event: Fixtures.event(type: "pilot.completed", data: data))
        let roi = try #require(data["business_metrics"]?.array?.first { $0["metric"] == "roi_pct" })
        #expect(roi["actual"] == .null)
        #expect(roi["met"] == true)
        #expect(outcome.status == .success)
    }
}
