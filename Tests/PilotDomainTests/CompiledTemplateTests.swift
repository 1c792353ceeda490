import Foundation
import Mustache
import Testing

@testable import PilotDomain

/// `CompiledTemplate` renders what swift-mustache renders, byte for byte: on the built-in
/// agreement with the proposals and final versions our requests produce, and on random
/// templates built from every construct it compiles (standalone lines, CRLF, comments,
/// dotted names, nested and inverted sections) with random values.
@Suite struct CompiledTemplateTests {
    /// swift-mustache in TEXT mode, as `AgreementTemplate` runs it.
    func mustache(_ text: String, _ value: TemplateValue) throws -> String {
        try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}\n" + text).render(value.mustacheValue)
    }

    @Test func theBuiltInAgreementRendersAsSwiftMustacheRendersIt() throws {
        let template = try AgreementTemplate(nil)
        #expect(template.compiled != nil, "the built-in template must take the compiled path")
        let compiled = try #require(template.compiled)
        var requests = [Fixtures.request]
        var variant = Fixtures.request
        variant.terms.pricing = Pricing(model: .free, listPriceAnnual: 12_000, currency: "EUR")
        variant.lead.company.domain = nil
        variant.lead.company.industry = nil
        variant.qualification.painPoints = []
        requests.append(variant)
        let signed = PilotSigned(signedAt: Fixtures.utc("2026-11-30T21:20:00Z"),
            signedBy: Person(name: "Dana Whitfield", email: "dana@acme-analytics.com"), method: .email,
            startDate: Fixtures.date("2026-12-07"), amendments: nil)
        var rendered = 0
        for request in requests {
            let plan = PilotPlan(terms: request.terms, criteria: Fixtures.criteria, startDate: Fixtures.date("2026-12-01"))
            for final in [false, true] {
                let context = AgreementContext(request: request, plan: plan, providerName: "Pilot Worker Ltd",
                    signed: final ? signed : nil,
                    changes: final ? [AgreementChange(item: "Duration", before: "30 days", after: "21 days")] : [])
                let values = context.values
                let expected = try mustache(DefaultAgreementTemplate.text, values)
                #expect(compiled.render(values) == expected)
                #expect(template.render(context) == expected)
                #expect(expected.count > 2_000)
                rendered += 1
            }
        }
        #expect(rendered == 4)
    }

    @Test func templatesWithWhatItDoesNotCompileTakeSwiftMustache() throws {
        for text in ["{{> partial}}", "{{=<% %>=}}<% a %>", "{{% CONTENT_TYPE: HTML}}", "{{ uppercased(a) }}",
                     "{{<parent}}{{/parent}}", "{{$block}}x{{/block}}", "{{#a}}", "{{/a}}", "{{a", "{{!"] {
            #expect(CompiledTemplate(text) == nil, "\(text)")
        }
        let template = try AgreementTemplate("Hi {{=<% %>=}}<% customer_name %>.")
        #expect(template.compiled == nil)
    }

    @Test func randomTemplatesRenderAsSwiftMustacheRendersThem() throws {
        var random = SplitMix64(seed: 20261203)
        var compared = 0
        var refused = 0
        for _ in 0..<8_000 {
            let text = Self.randomTemplate(&random, depth: 0)
            let values = Self.randomValues(&random)
            let compiled = CompiledTemplate(text)
            guard let expected = try? mustache(text, values) else {
                // What swift-mustache refuses is not compiled either.
                #expect(compiled == nil, "compiled a template swift-mustache refuses: \(text.debugDescription)")
                refused += 1
                continue
            }
            let rendered = try #require(compiled, "did not compile \(text.debugDescription)").render(values)
            #expect(rendered == expected, "template \(text.debugDescription)")
            compared += 1
        }
        #expect(compared > 3_000)
        #expect(refused > 1_000)
    }

    // MARK: - Random templates and values

    static let pieces = [
        "x", "word ", " ", "  ", "\t", "\n", "\n", "\r\n", "{", "}", "{ {", "}}", "{{a}}", "{{ a }}", "{{{a}}}",
        "{{& b}}", "{{obj.x}}", "{{ obj.a }}", "{{.}}", "{{.a}}", "{{missing}}", "{{missing.x}}", "{{flag}}",
        "{{text}}", "{{! a comment }}", "{{!}}}", "{{!{a}}",
    ]
    static let sections = ["list", "texts", "flag", "off", "empty", "obj", "text", "b", "missing", "obj.inner"]

    static func randomTemplate(_ random: inout SplitMix64, depth: Int) -> String {
        var text = ""
        for _ in 0..<random.below(depth == 0 ? 14 : 6) {
            switch random.below(20) {
            case 0..<14:
                text += pieces[random.below(pieces.count)]
            case 14..<18 where depth < 3:
                let name = sections[random.below(sections.count)]
                let open = random.below(4) == 0 ? "^" : "#"
                let lead = ["", "\n", "  ", "\n  ", "\r\n\t"][random.below(5)]
                let trail = ["", "\n", " \n", "  ", "\r\n"][random.below(5)]
                text += lead + "{{\(open)\(name)}}" + trail + randomTemplate(&random, depth: depth + 1)
                text += ["", "\n", "  "][random.below(3)] + "{{/\(name)}}" + ["", "\n", " \n", "x"][random.below(4)]
            case 18:
                // An occasional unbalanced tag: swift-mustache refuses it, and so must we.
                text += ["{{/a}}", "{{#a}}", "{{a", "{{!"][random.below(4)] + (random.below(8) == 0 ? "" : "\n")
            default:
                text += "\n"
            }
        }
        return text
    }

    static func randomValues(_ random: inout SplitMix64) -> TemplateValue {
        func text() -> TemplateValue { .text(["A & B", "", "line\nbreak", "é", "{{a}}"][random.below(5)]) }
        func item() -> TemplateValue { .object(["x": text(), "a": text()]) }
        var members: TemplateObject = [
            "a": text(), "b": random.below(3) == 0 ? .text("") : text(), "text": text(),
            "flag": .flag(random.below(2) == 0), "off": .flag(false), "empty": .list([]),
            "list": .list((0..<random.below(4)).map { _ in item() }),
            "texts": .list((0..<random.below(3)).map { _ in text() }),
            "obj": .object(["x": text(), "a": text(), "inner": item()]),
        ]
        if random.below(3) == 0 { members["a"] = nil }
        return .object(members)
    }
}

/// A small seeded generator, so a failing template can be found again.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
