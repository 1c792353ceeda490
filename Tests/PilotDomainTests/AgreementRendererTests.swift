import Foundation
import PilotDomain
import Testing

@Suite struct AgreementRendererTests {
    let start = Fixtures.date("2026-12-01")

    func render(_ request: PilotRequest = Fixtures.request, template: String? = nil,
        criteria: [Criterion] = Fixtures.criteria) throws -> String
    {
        try AgreementRenderer(template: template).render(request: request, criteria: criteria, startDate: start,
            providerName: "Pilot Worker Ltd")
    }

    @Test func partiesDatesAndUseCases() throws {
        let text = try render()
        #expect(text.hasPrefix("# Pilot Agreement\n\n**Acme Analytics** and **Pilot Worker Ltd**\n"))
        #expect(text.contains(#"Pilot Worker Ltd ("the Provider") makes its product available to Acme Analytics ("the Customer")"#))
        #expect(text.contains("- **Provider:** Pilot Worker Ltd, represented by Sam Okafor (sam@pilot-worker.dev)"))
        #expect(text.contains("from **1 December 2026** to **30 December 2026** inclusive"))
        #expect(text.contains("1. **Automated weekly KPI digest**: Generate the Monday KPI digest"))
        #expect(text.contains("3. **Self-serve ad-hoc questions**: "))
        #expect(text.contains("- Days 8 to 22: Active usage"))
        #expect(text.contains("| Name | Dana Whitfield | Sam Okafor |"))
        #expect(!text.contains("{{"), "no tag left unrendered")
    }

    @Test func criteriaTableRows() throws {
        let text = try render()
        #expect(text.contains("""
            | Metric | Target | How measured | Required |
            |---|---|---|---|
            | p95 latency | ≤ 300 ms | Mean of the daily 95th-percentile response times | Yes |
            | Accuracy | ≥ 95% | Mean of the daily share of correct results | Yes |
            | Uptime | ≥ 99.5% | Lowest daily availability | Yes |
            | Error rate | ≤ 1% | Mean of the daily share of failed requests | Yes |
            """))
        #expect(Fixtures.lines(text, containing: "| Staff hours saved |") == [
            "| Staff hours saved | ≥ 51.4 h | Staff hours saved against the baseline, reported daily and summed over"
                + " the pilot (about 12 h per week) | Yes |"
        ])
        #expect(Fixtures.lines(text, containing: "| User satisfaction (NPS) |").first?.hasSuffix("| No |") == true)
        #expect(text.contains("Criteria marked \"No\" are measured and reported but do not decide the outcome."))
    }

    @Test func discountedPricingLines() throws {
        let text = try render()
        #expect(text.contains("""
            | Annual list price | USD 48,000.00 |
            | List price for 30 days (pro rata) | USD 3,945.21 |
            | Pilot discount | 50% |
            | **Amount payable for the Pilot** | **USD 1,972.60** |
            """))
        #expect(!text.contains("free of charge"))
    }

    @Test func amountsAreFormattedWithGroupingAndCents() throws {
        var request = Fixtures.request
        request.terms.pricing = Pricing(model: .discounted, listPriceAnnual: 467_200, discountPct: 50, currency: "EUR")
        let text = try render(request)
        #expect(text.contains("| **Amount payable for the Pilot** | **EUR 19,200.00** |"))
        #expect(text.contains("| Annual list price | EUR 467,200.00 |"))
        #expect(NumberText.money(19_200, currency: "EUR") == "EUR 19,200.00")
        #expect(NumberText.money(1_234_567.005, currency: "USD") == "USD 1,234,567.01")
        #expect(NumberText.money(0, currency: "GBP") == "GBP 0.00")
        #expect(NumberText.plain(99.5) == "99.5")
        #expect(NumberText.plain(300) == "300")
        #expect(NumberText.plain(-12.25, maxFractionDigits: 1) == "-12.3")
        #expect(NumberText.plain(0.125, maxFractionDigits: 2) == "0.13")
        #expect(NumberText.plain(1e-7) == "0")
        #expect(NumberText.plain(-0.00001) == "0")
        #expect(NumberText.plain(1e20) == "100000000000000000000")
    }

    @Test func freePilot() throws {
        var request = Fixtures.request
        request.terms.pricing = Pricing(model: .free, listPriceAnnual: 48_000, currency: "USD")
        let text = try render(request)
        #expect(text.contains("The Pilot is free of charge. For reference, the annual list price of the product for"
            + " the Customer is USD 48,000.00."))
        #expect(!text.contains("Amount payable"))
        #expect(PilotFee(pricing: request.terms.pricing, durationDays: 30).amountPayable == 0)
    }

    @Test func asyncSupport() throws {
        var request = Fixtures.request
        request.terms.supportLevel = .async
        let text = try render(request)
        #expect(text.contains("Support is asynchronous, by shared chat channel and e-mail"))
        #expect(text.contains("within 1 business day"))
        #expect(!text.contains("check-in call with the Customer's technical team every business day"))
    }

    @Test func valuesAreEscapedAsMarkdownText() throws {
        var request = Fixtures.request
        request.lead.company.name = "Acme | *Beta* _x_ `rm` [a](http://x) <b>R&D</b> &amp;"
        request.terms.useCases[0] = UseCase(title: "Digest\nwith | pipes",
            description: "Line one.\n\n- not a list\r\n# not a heading")
        request.qualification.integrations = ["Snow|flake"]
        let text = try render(request)
        let escaped = #"Acme \| \*Beta\* \_x\_ \`rm\` \[a\](http://x) \<b\>R&D\</b\> \&amp;"#
        #expect(text.contains("**" + escaped + "** and **Pilot Worker Ltd**"))
        #expect(text.contains(##"1. **Digest with \| pipes**: Line one. - not a list \# not a heading"##))
        #expect(text.contains(#"| Integrations working (Snow\|flake) | ≥ 100% |"#))
        // Every table row still has exactly five unescaped pipes.
        for row in Fixtures.lines(text, containing: "| ≥ 100% |") {
            #expect(row.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count == 5)
        }
    }

    @Test func mustacheInAValueStaysLiteral() throws {
        var request = Fixtures.request
        request.lead.company.name = "{{founder}} {{provider_name}} {{#contacts}}x{{/contacts}}"
        request.terms.useCases[1].description = "Use {{{founder_email}}} and {{> partial}}"
        let text = try render(request)
        // Literal, with only the Markdown escapes that keep it literal when the file is viewed.
        #expect(text.contains(##"**{{founder}} {{provider\_name}} {{\#contacts}}x{{/contacts}}** and **Pilot Worker Ltd**"##))
        #expect(text.contains(#"2. **Anomaly triage**: Use {{{founder\_email}}} and {{\> partial}}"#))
        #expect(!text.contains("sam@pilot-worker.dev}}"))
        #expect(Fixtures.lines(text, containing: "Pilot Worker Ltd Pilot Worker Ltd").isEmpty)
    }

    @Test func workspaceTemplateSeesTheSameEscapedValues() throws {
        var request = Fixtures.request
        request.lead.company.name = "R&D <Labs>"
        let template = """
            Pilot for {{customer_name}} / {{{customer_name}}}, {{start_date_iso}} to {{end_date_iso}} ({{duration_days}} days).
            {{#criteria}}
            - {{name}}: {{target}}{{#is_required}} (required){{/is_required}}
            {{/criteria}}
            {{#pricing_discounted}}Pay {{amount_payable}}.{{/pricing_discounted}}
            """
        let text = try render(request, template: template, criteria: Array(Fixtures.criteria.prefix(2)))
        #expect(text == """
            Pilot for R&D \\<Labs\\> / R&D \\<Labs\\>, 2026-12-01 to 2026-12-30 (30 days).
            - p95 latency: ≤ 300 ms (required)
            - Accuracy: ≥ 95% (required)
            Pay USD 1,972.60.
            """)
    }

    @Test func badTemplatesSayWhereAndWhy() throws {
        let unclosed = try #require(throws: AgreementTemplateError.self) {
            try AgreementRenderer(template: "# Agreement\n\n{{#criteria}}\n| {{name}} |\n")
        }
        #expect(unclosed.reason == "a section is never closed")
        let mismatched = try #require(throws: AgreementTemplateError.self) {
            try AgreementRenderer(template: "Intro\n{{#criteria}}\n{{name}}\n{{/use_cases}}\n")
        }
        #expect(mismatched.line == 4)
        #expect(mismatched.lineText == "{{/use_cases}}")
        #expect(mismatched.description.hasPrefix("agreement template, line 4, column"))
        #expect(throws: AgreementTemplateError.self) { try AgreementRenderer(template: "Hello {{name") }
        #expect(throws: AgreementTemplateError.self) { try FinalAgreementRenderer(template: "{{% NOPE: X}}") }
    }

    @Test func sameInputSameBytes() throws {
        #expect(try render() == render())
        #expect(try render().hasSuffix("| Date |  | |\n"))
    }

    @Test func shorterPilotEndsEarlier() throws {
        var request = Fixtures.request
        request.terms.durationDays = 14
        let criteria = SuccessCriteria.derive(from: request.qualification, durationDays: 14)
        let text = try render(request, criteria: criteria)
        #expect(text.contains("The Pilot runs for **14 days**, from **1 December 2026** to **14 December 2026**"))
        #expect(text.contains("| Staff hours saved | ≥ 24 h |"))
        #expect(text.contains("| List price for 14 days (pro rata) | USD 1,841.10 |"))
    }

    @Test func providerDefaultsToTheFoundersDomain() throws {
        let text = try AgreementRenderer().render(request: Fixtures.request, criteria: Fixtures.criteria,
            startDate: start)
        #expect(text.contains("**Acme Analytics** and **pilot-worker.dev**"))
    }
}

@Suite struct MarkdownTextTests {
    @Test func escapesInlineSyntax() {
        #expect(MarkdownText.escape("a|b*c_d`e[f]g<h>i#j~k\\l") == ##"a\|b\*c\_d\`e\[f\]g\<h\>i\#j\~k\\l"##)
        #expect(MarkdownText.escape("R&D &copy; &#169; &") == ##"R&D \&copy; \&\#169; &"##)
        #expect(MarkdownText.escape("{{x}}") == "{{x}}")
    }

    /// CommonMark reads code points: `*` before a combining mark still opens emphasis,
    /// though the two make one Character.
    @Test func aCombiningMarkDoesNotHideSyntax() {
        #expect(MarkdownText.escape("x *\u{301}y*\u{301} `\u{301}z|\u{301}") == "x \\*\u{301}y\\*\u{301} \\`\u{301}z\\|\u{301}")
    }

    @Test func collapsesLineBreaksAndTrims() {
        #expect(MarkdownText.escape("  one\r\n\r\n  two\nthree\u{2028}four  ") == "one two three four")
        #expect(MarkdownText.escape("keep  double\tspaces") == "keep  double spaces")
        #expect(MarkdownText.singleLine("\n\n") == "")
    }

    @Test func aValueCannotStartABlock() {
        #expect(MarkdownText.escape("- item") == #"\- item"#)
        #expect(MarkdownText.escape("+ item") == #"\+ item"#)
        #expect(MarkdownText.escape("2026. A year") == #"2026\. A year"#)
        #expect(MarkdownText.escape("3) three") == #"3\) three"#)
        #expect(MarkdownText.escape("> quote") == #"\> quote"#)
        #expect(MarkdownText.escape("42 is fine") == "42 is fine")
    }
}
