import Foundation
import PilotDomain
import Testing

@Suite struct FinalAgreementRendererTests {
    let proposedStart = Fixtures.date("2026-12-01")

    func signed(_ amendments: Amendments?, start: String = "2026-12-07") -> PilotSigned {
        PilotSigned(signedAt: Fixtures.utc("2026-11-30T21:20:00Z"),
            signedBy: Person(name: "Dana Whitfield", email: "dana.whitfield@acme-analytics.com"), method: .docusign,
            startDate: Fixtures.date(start), amendments: amendments)
    }

    func render(_ signed: PilotSigned, template: String? = nil) throws -> FinalAgreementRenderer.Output {
        try FinalAgreementRenderer(template: template).render(request: Fixtures.request,
            proposedCriteria: Fixtures.criteria, proposedStartDate: proposedStart, signed: signed,
            providerName: "Pilot Worker Ltd")
    }

    @Test func amendedTermsAndTheirChanges() throws {
        let output = try render(signed(Amendments(durationDays: 21, supportLevel: .async,
            pricing: Pricing(model: .free, listPriceAnnual: 48_000, currency: "USD"))))
        #expect(output.plan.durationDays == 21)
        #expect(output.plan.endDate == Fixtures.date("2026-12-27"))
        // The hours-saved total follows the new length: 12 h/week × 21 / 7.
        #expect(output.plan.criteria.first { $0.id == "hours_saved" }?.target == 36)
        #expect(output.changes.map(\.item) == ["Start date", "Duration", "End date", "Support", "Fees",
            "Success criterion: Staff hours saved"])
        #expect(output.changes[1] == AgreementChange(item: "Duration", before: "30 days", after: "21 days"))

        let text = output.text
        #expect(text.hasPrefix("# Pilot Agreement: final version\n"))
        #expect(text.contains("*Signed by Dana Whitfield (dana.whitfield@acme-analytics.com) on 30 November 2026"
            + " by DocuSign."))
        #expect(text.contains("The Pilot runs for **21 days**, from **7 December 2026** to **27 December 2026**"))
        #expect(text.contains("The Pilot is free of charge."))
        #expect(text.contains("""
            ## Amendments

            These terms were changed from the proposal during negotiation:

            | Item | Proposed | Agreed |
            |---|---|---|
            | Start date | 1 December 2026 | 7 December 2026 |
            | Duration | 30 days | 21 days |
            | End date | 30 December 2026 | 27 December 2026 |
            | Support | Daily check-in calls | Asynchronous (chat and e-mail) |
            | Fees | 50% off the list price of USD 48,000.00 a year: USD 1,972.60 for 30 days | Free of charge (list price USD 48,000.00 a year) |
            | Success criterion: Staff hours saved | ≥ 51.4 h, required | ≥ 36 h, required |

            ## Signatures
            """))
        #expect(text.contains("| Name | Dana Whitfield | Sam Okafor |"))
        #expect(text.contains("| Signature | Signed by DocuSign | |"))
        #expect(text.contains("| Date | 30 November 2026 | |"))
    }

    @Test func replacedCriteriaAndUseCases() throws {
        var latency = Fixtures.criteria[0]
        latency.target = 250
        let tickets = Criterion(id: "tickets_closed", kind: .business, metric: "tickets_closed", target: 40,
            comparison: .atLeast, unit: "", required: true, aggregation: "sum")
        let useCases = (1...3).map { UseCase(title: "Case \($0)", description: "Text \($0)") }
        let output = try render(signed(Amendments(useCases: useCases, criteria: [latency, tickets]),
            start: "2026-12-01"))
        #expect(output.plan.criteria == [latency, tickets])
        #expect(output.changes.first == AgreementChange(item: "Use cases", before: "Automated weekly KPI digest;"
            + " Anomaly triage; Self-serve ad-hoc questions", after: "Case 1; Case 2; Case 3"))
        let items = output.changes.map { "\($0.item): \($0.before) → \($0.after)" }
        #expect(items.contains("Success criterion: p95 latency: ≤ 300 ms, required → ≤ 250 ms, required"))
        #expect(items.contains("Success criterion: Tickets closed: not included → ≥ 40, required"))
        #expect(items.contains("Success criterion: Uptime: ≥ 99.5%, required → removed"))
        #expect(output.text.contains("| Tickets closed | ≥ 40 | Total of the daily tickets closed over the pilot | Yes |"))
        #expect(!output.text.contains("| Uptime |"))
    }

    @Test func signedAsProposedHasNoAmendmentsSection() throws {
        let output = try render(signed(nil, start: "2026-12-01"))
        #expect(output.changes.isEmpty)
        #expect(!output.text.contains("## Amendments"))
        #expect(output.text.contains("# Pilot Agreement: final version"))
    }

    @Test func aWorkspaceTemplateWithoutAmendmentsGetsThemAppended() throws {
        let output = try render(signed(Amendments(durationDays: 28)), template: "Agreed: {{duration_days}} days.\n")
        #expect(output.text.hasPrefix("Agreed: 28 days.\n\n## Amendments\n"))
        #expect(output.text.contains("| Duration | 30 days | 28 days |"))
    }

    @Test func sameInputSameBytes() throws {
        let amendments = Amendments(durationDays: 21)
        #expect(try render(signed(amendments)).text == render(signed(amendments)).text)
    }
}
