import Contracts
import PilotJSON
import Testing

/// What people read when an event is refused.
@Suite struct ValidationMessageTests {
    let schema = try! Fixtures.pilotRequestedSchema()

    @Test func validEventHasNoErrors() {
        #expect(schema.validate(Fixtures.event) == [])
        #expect(schema.isValid(Fixtures.event))
    }

    @Test func maximumNamesTheValueAndTheLimit() throws {
        let errors = schema.validate(Fixtures.event(setting: ["data", "terms", "duration_days"], to: 45))
        let error = try #require(errors.first)
        #expect(errors.count == 1)
        #expect(error.message == "/data/terms/duration_days: 45 is greater than the maximum 30")
        #expect(error.instancePath == "/data/terms/duration_days")
        #expect(error.keyword == "maximum")
        #expect(error.schemaPath == "/properties/data/properties/terms/properties/duration_days/maximum")
    }

    @Test func missingRequiredProperty() {
        let errors = schema.validate(Fixtures.event(setting: ["data", "lead"], to: nil))
        #expect(errors.map(\.message) == [#"/data: missing required property "lead""#])
        #expect(errors.first?.schemaPath == "/properties/data/required")
    }

    @Test func additionalPropertyNotAllowed() {
        let errors = schema.validate(Fixtures.event(setting: ["data", "foo"], to: 1))
        #expect(errors.map(\.message) == ["/data/foo: property not allowed"])
        #expect(errors.first?.schemaPath == "/properties/data/additionalProperties")
    }

    @Test func negatedPatternSaysWhatIsForbidden() {
        let errors = schema.validate(Fixtures.event(setting: ["subject"], to: "a..b"))
        #expect(errors.map(\.message) == [#"/subject: "a..b" must not match the pattern \.\."#])
        #expect(errors.first?.schemaPath == "/$ref/properties/subject/not")
    }

    @Test func patternIsECMAStyleAtTheEnd() {
        // ICU's `$` would accept a trailing newline; ECMA-262's does not.
        let errors = schema.validate(Fixtures.event(setting: ["subject"], to: "acme\n"))
        #expect(errors.map(\.keyword) == ["pattern"])
    }

    @Test func pathsGoThroughRefsAndArrays() {
        let event = Fixtures.event(setting: ["data", "lead", "contacts", "1", "email"], to: "not an email")
        let errors = schema.validate(event)
        #expect(errors.map(\.message) == [#"/data/lead/contacts/1/email: "not an email" is not a valid email"#])
        #expect(errors.first?.schemaPath
            == "/properties/data/properties/lead/properties/contacts/items/$ref/allOf/0/$ref/properties/email/format")
    }

    @Test func typeEnumConstAndConditional() {
        let event = Fixtures.event(setting: ["data", "terms", "support_level"], to: "weekly")
        #expect(schema.validate(event).map(\.message)
            == [#"/data/terms/support_level: "weekly" is not one of "daily_checkins", "async""#])

        let pricing: JSONValue = ["model": "discounted", "list_price_annual": 100, "currency": "USD"]
        let errors = schema.validate(Fixtures.event(setting: ["data", "terms", "pricing"], to: pricing))
        #expect(errors.map(\.message) == [#"/data/terms/pricing: missing required property "discount_pct""#])
        #expect(errors.first?.schemaPath == "/properties/data/properties/terms/properties/pricing/then/required")

        let wrongType = schema.validate(Fixtures.event(setting: ["data", "terms", "duration_days"], to: "30"))
        #expect(wrongType.map(\.message) == [#"/data/terms/duration_days: expected integer, found a string "30""#])

        let wrongConst = schema.validate(Fixtures.event(setting: ["specversion"], to: "0.3"))
        #expect(wrongConst.map(\.message) == [#"/specversion: must be "1.0", found "0.3""#])
    }

    @Test func collectsSeveralErrorsUpToTheCap() throws {
        let broken = try JSONValue(parsing: #"{"data": {"lead": 1, "founder": 2, "qualification": 3, "terms": 4}}"#)
        let errors = schema.validate(broken)
        // Six envelope members missing, four data members of the wrong type.
        #expect(errors.count == 10)
        #expect(errors.first?.message == #"(root): missing required property "specversion""#)
        #expect(errors.last?.message == "/data/terms: expected object, found an integer 4")
        #expect(schema.validate(broken, maximumErrors: 3).count == 3)
    }

    @Test func anyOfAndOneOfSummariseTheirAlternatives() throws {
        var registry = SchemaRegistry()
        let uri = try registry.register(JSONValue(parsing: #"""
            {"properties": {
              "price": {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": "^[0-9]+$"}]},
              "kind": {"oneOf": [{"const": "a"}, {"enum": ["a", "b"]}]}
            }}
            """#))
        let schema = try registry.compile(uri)
        let anyOf = schema.validate(["price": "ten"])
        #expect(anyOf.map(\.message) == [
            #"/price: matches none of the 2 alternatives of anyOf: (1) expected integer, found a string "ten"; "#
                + #"(2) "ten" does not match the pattern ^[0-9]+$"#
        ])
        let oneOf = schema.validate(["kind": "a"])
        #expect(oneOf.map(\.message) == ["/kind: matches alternatives 1 and 2 of oneOf, but exactly one must match"])
    }

    @Test func lengthsCountCodePoints() throws {
        var registry = SchemaRegistry()
        let uri = try registry.register(["maxLength": 2, "minLength": 2])
        let schema = try registry.compile(uri)
        #expect(schema.isValid("🐲é"))  // two code points, three UTF-16 units
        #expect(!schema.isValid("e\u{301}e"))  // three code points, two grapheme clusters
        #expect(schema.validate("abc").map(\.message) == [#"(root): "abc" is longer than 2 characters"#])
    }

    @Test func multipleOfUsesTheDecimalDigits() throws {
        var registry = SchemaRegistry()
        let uri = try registry.register(["multipleOf": 0.0001])
        let schema = try registry.compile(uri)
        #expect(schema.isValid(0.0075))
        #expect(schema.isValid(12))
        #expect(!schema.isValid(0.00751))
        let cents = try Fixtures.pilotRequestedSchema()
        #expect(cents.isValid(Fixtures.event(setting: ["data", "terms", "pricing", "discount_pct"], to: 0.29)))
        #expect(!cents.isValid(Fixtures.event(setting: ["data", "terms", "pricing", "discount_pct"], to: 0.295)))
    }

    @Test func selfReferenceWithoutProgressIsReportedNotLooped() throws {
        var registry = SchemaRegistry()
        let uri = try registry.register(["$ref": "#"])
        let schema = try registry.compile(uri)
        #expect(schema.validate(1).first?.keyword == "$ref")
    }
}
