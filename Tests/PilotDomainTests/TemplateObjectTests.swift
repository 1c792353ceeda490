import Mustache
import Testing

@testable import PilotDomain

/// `TemplateObject` keeps a dictionary's rules (one member a name, a new value replaces the
/// old, nil removes), and `MustacheObject` gives swift-mustache the same members in order.
@Suite struct TemplateObjectTests {
    @Test func namesAreEqualWhenTheirTextIs() {
        let name = TemplateName("customer_name")
        #expect(name == .customerName)
        #expect(name.text == "customer_name")
        #expect(TemplateName("customer") != .customerName)
        #expect(TemplateName("") == TemplateName(""))
        #expect(TemplateName("é").text == "é")
    }

    @Test func membersAreSetReplacedAndRemovedAsInADictionary() {
        var object: TemplateObject = ["a": "1", "b": true]
        #expect(object["a"].map(Self.text) == "1")
        #expect(object["missing"] == nil)
        object["a"] = "2"
        object["c"] = .list([])
        object["b"] = nil
        object["never"] = nil
        #expect(object.members.map(\.0.text) == ["a", "c"])
        #expect(object["a"].map(Self.text) == "2")
        #expect(object["b"] == nil)

        object.merge(["c": "3", "d": "4"])
        #expect(object.members.map(\.0.text) == ["a", "c", "d"])
        #expect(object["c"].map(Self.text) == "3")
        #expect(TemplateValue.object(object).member("d").map(Self.text) == "4")
        #expect(TemplateValue.text("x").member("a") == nil)
    }

    @Test func swiftMustacheSeesTheMembersInOrder() throws {
        let value = TemplateValue.object(["zeta": "z", "alpha": .flag(true), "list": .list(["x"]), "inner": .object([:])])
        let object = try #require(value.mustacheValue as? MustacheObject)
        #expect(object.members.map(\.0) == ["zeta", "alpha", "list", "inner"])
        #expect(object.description == #"["zeta": "z", "alpha": true, "list": ["x"], "inner": [:]]"#)
        #expect(object.child(named: "alpha") as? Bool == true)
        #expect(object.child(named: "nope") == nil)
        #expect(object.transform("count") as? Int == 4)
        #expect(object.transform("empty") as? Bool == false)
        let sorted = try #require(object.transform("sorted") as? [(key: String, value: Any)])
        #expect(sorted.map(\.key) == ["alpha", "inner", "list", "zeta"])

        let template = try MustacheTemplate(string: "{{zeta}} {{#inner}}in{{/inner}} {{#list}}{{.}}{{/list}} {{count(inner)}}")
        #expect(template.render(value.mustacheValue) == "z in x 0")
    }

    static func text(_ value: TemplateValue) -> String? {
        if case .text(let text) = value { text } else { nil }
    }
}
