import Foundation
import PilotDomain
import Testing

/// `pilot-results.md` and the results e-mail.
@Suite struct ResultsReportTests {
    typealias F = MonitoringFixtures

    static func render(_ evaluation: PilotEvaluation) -> String {
        ResultsReport.render(evaluation: evaluation, startDate: F.startDate, timeZone: F.zone)
    }

    static var failed: PilotEvaluation {
        F.evaluate(F.goodMonth.map { F.goodDay($0.day, latency: 412) }, day: 30,
            issues: F.resolvedIssues + [F.issue("SUP-1050", .critical, title: "Login fails")])
    }

    @Test func successExecutiveSummaryAndRule() {
        let report = Self.render(F.successfulEnd)
        #expect(report.hasPrefix("# Acme Analytics pilot results\n\nThe 30-day pilot of pilot-worker.dev at Acme"
            + " Analytics, from Monday, 7 December 2026 to Tuesday, 5 January 2027.\n"))
        #expect(report.contains("## Executive summary\n\n**Status: SUCCESS**\n\nThe pilot met all 6 required success"
            + " criteria, and no critical issue is open. 3 of them beat their targets by a clear margin: p95 latency,"
            + " error rate and staff hours saved. We propose moving to a contract.\n"))
        #expect(report.contains("\nRule: The pilot succeeds when every required success criterion is met at the end of"
            + " the pilot and no critical issue is left unresolved; otherwise it fails.\n"))
    }

    @Test func metricTables() {
        let report = Self.render(F.successfulEnd)
        #expect(report.contains("## Technical metrics vs targets\n\n| Metric | Target | Actual | How measured | Result |\n"))
        #expect(report.contains("| p95 latency | ≤ 300 ms | 212.4 ms | Mean of the daily 95th-percentile response times"
            + " | Exceeded |\n"))
        #expect(report.contains("| Uptime | ≥ 99.5% | 99.6% | Lowest daily availability | Met |\n"))
        #expect(report.contains("| Integrations working (Snowflake, Slack) | ≥ 100% | no data |"))
        #expect(report.contains("No data (reported only) |\n"))
        #expect(report.contains("## Business metrics vs targets\n"))
        #expect(report.contains("| Staff hours saved | ≥ 51.4 h | 61.5 h |"))
        #expect(report.contains("| Return on investment | ≥ 150% | 164.3% |"))
        #expect(report.contains("| User satisfaction (NPS) | ≥ 30 | 33.3 |"))
    }

    @Test func feedbackIssuesAndROI() {
        let report = Self.render(F.successfulEnd)
        #expect(report.contains("## User feedback\n\n- Responses: 6\n- NPS: 33.3 (3 promoters, 2 passives, 1 detractor)\n"
            + "- Average score: 8.2 out of 10\n"))
        #expect(report.contains("> “The Monday digest now writes itself.” (Ravi Menon, Staff Data Engineer, 9/10)\n"))
        #expect(report.contains("> “Exports are still slow.” (Kim, 6/10)\n"))
        #expect(report.contains("2 issues were reported: 2 resolved, 0 unresolved.\n"))
        #expect(report.contains("| SUP-1042: Dashboard export times out | medium | 9 December 2026 | Resolved"
            + " 10 December 2026 | Exports over 50k rows are now streamed instead of buffered. |\n"))
        let roi = [
            "- Hours saved per week = total hours saved ÷ days reported × 7 = 61.5 h ÷ 30 × 7 = 14.35 h",
            "- Annual benefit = hours saved per week × 52 × hourly cost = 14.35 h × 52 × USD 85.00 = USD 63,427.00",
            "- Annual cost = annual list price × (1 − discount) = USD 48,000.00 × (1 − 50%) = USD 24,000.00",
            "- ROI = (annual benefit − annual cost) ÷ annual cost × 100 = (USD 63,427.00 − USD 24,000.00) ÷"
                + " USD 24,000.00 × 100 = 164.3%",
            "- Payback = annual cost ÷ (annual benefit ÷ 12) = USD 24,000.00 ÷ (USD 63,427.00 ÷ 12) = 4.5 months",
        ].joined(separator: "\n")
        #expect(report.contains("## Return on investment\n\nFrom the hours saved measured during the pilot, at the"
            + " baseline cost of USD 85.00 per staff hour:\n\n" + roi + "\n"))
        #expect(report.contains("## Next step\n\nMove to a contract. Sam Okafor will send a proposal for the annual"
            + " subscription to Dana Whitfield and Laura Chen and a time to go through it.\n"))
        #expect(report.hasSuffix("go through it.\n"))
    }

    @Test func failedReportSaysWhy() {
        let report = Self.render(Self.failed)
        #expect(report.contains("**Status: FAILED**\n\nThe pilot did not reach its goals: it missed 1 of 6 required"
            + " success criteria, and 1 critical issue is still open.\n\n"
            + "- p95 latency averaged 412 ms against a target of ≤ 300 ms.\n"
            + "- Critical issue SUP-1050 (Login fails) is still unresolved.\n"))
        #expect(report.contains("| p95 latency | ≤ 300 ms | 412 ms |"))
        #expect(report.contains("| Not met |\n"))
        #expect(report.contains("3 issues were reported: 2 resolved, 1 unresolved (1 of them critical).\n"))
        #expect(report.contains("| SUP-1050: Login fails | critical | 9 December 2026 | Open | – |\n"))
        #expect(report.contains("No survey responses were received during the pilot, so there is no NPS."))
        #expect(report.contains("## Next step\n\nWe do not propose a contract on these results."))
    }

    @Test func theReportIsDeterministic() {
        #expect(Self.render(F.successfulEnd) == Self.render(F.successfulEnd))
    }

    @Test func successEmailHighlightsAndProposesAContract() {
        let message = ResultsEmail.message(thread: Fixtures.thread, evaluation: F.successfulEnd, resultsText: "# R\n",
            now: Fixtures.now)
        #expect(message.subject == "Acme Analytics pilot results: all required targets met")
        #expect(message.messageID == "results.acme-2026-11@pilot-worker")
        #expect(message.boundary == MIMEMessage.boundary(thread: Fixtures.thread, kind: "results"))
        #expect(message.to.count == 3)
        #expect(message.parts[1].disposition?.filename == "pilot-results.md")
        let body = String(decoding: message.parts[0].body, as: UTF8.self)
        #expect(body.hasPrefix("Hi Dana, Ravi and Laura,\n\nThe 30-day pilot of pilot-worker.dev at Acme Analytics is"
            + " complete, and it met every required success criterion."))
        #expect(body.contains("Highlights:\n\n- p95 latency averaged 212.4 ms, well beyond the ≤ 300 ms target\n"))
        #expect(body.contains("- Uptime never fell below 99.6%, meeting the ≥ 99.5% target\n"))
        #expect(body.contains("- Return on investment of 164.3% (target ≥ 150%), paying back in 4.5 months\n"))
        #expect(body.contains("What we still want to improve:\n\n- 1 user scored 6 or lower;"))
        #expect(body.contains("I would like to propose moving to a contract."))
        #expect(message.serialized() == ResultsEmail.message(thread: Fixtures.thread, evaluation: F.successfulEnd,
            resultsText: "# R\n", now: Fixtures.now).serialized())
    }

    @Test func failedEmailAddressesTheShortfall() {
        let message = ResultsEmail.message(thread: Fixtures.thread, evaluation: Self.failed, resultsText: "",
            now: Fixtures.now)
        #expect(message.subject == "Acme Analytics pilot results: review of the results")
        let body = String(decoding: message.parts[0].body, as: UTF8.self)
        #expect(body.contains("Where we fell short:\n\n- p95 latency averaged 412 ms against a target of ≤ 300 ms.\n"
            + "- Critical issue SUP-1050 (Login fails) is still unresolved.\n"))
        #expect(body.contains("What worked:\n\n- Accuracy averaged 96.8%, meeting the ≥ 95% target\n"))
        #expect(body.contains("What we would change:\n\n- Go through the slowest requests"))
        #expect(!body.contains("propose moving to a contract"))
    }
}
