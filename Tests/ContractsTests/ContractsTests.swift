import Contracts
import PilotJSON
import Testing

/// The event check the runtime calls on every message.
@Suite struct ContractsTests {
    let contracts: Contracts

    init() throws {
        let folder = try Fixtures.directory([
            "cloudevent.v1.json": Fixtures.envelope.serialized(),
            "pilot.requested.v1.json": Fixtures.pilotRequested.serialized(),
            "email.send.v1.json": #"""
                {"$schema": "https://json-schema.org/draft/2020-12/schema",
                 "$id": "https://schemas.pilot-worker.dev/email.send.v1.json",
                 "properties": {"data": {"required": ["to", "subject", "eml_path"]}}}
                """#,
        ])
        defer { Fixtures.remove(folder) }
        contracts = try Contracts(schemasDirectory: folder)
    }

    @Test func knowsTheTypesItHasSchemasFor() {
        #expect(contracts.knownTypes == ["pilot.requested", "email.send"])
        #expect(Contracts.schemaID(forType: "deal.lost") == "https://schemas.pilot-worker.dev/deal.lost.v1.json")
    }

    @Test func acceptsAValidEvent() throws {
        try contracts.validate(event: Fixtures.event)
    }

    @Test func refusesAnUnknownTypeAsSuch() throws {
        let violation = try #require(throws: ContractViolation.self) {
            try contracts.validate(event: Fixtures.event(setting: ["type"], to: "pilot.unheard_of"))
        }
        #expect(violation.reason == .unknownType("pilot.unheard_of"))
        #expect(violation.reasonCode == "unknown_type")
    }

    @Test func refusesABrokenEnvelopeBeforeLookingAtTheType() throws {
        let noType = try #require(throws: ContractViolation.self) {
            try contracts.validate(event: Fixtures.event(setting: ["type"], to: nil))
        }
        #expect(noType.reason == .invalidEnvelope)
        #expect(noType.errors.map(\.message) == [#"(root): missing required property "type""#])

        // email.send does not $ref the envelope, so the envelope is checked on its own.
        var email = Fixtures.event.object!
        email["type"] = "email.send"
        email["data"] = ["to": ["a@b.example"], "subject": "Hi", "eml_path": "x.eml"]
        try contracts.validate(event: .object(email))
        email["subject"] = "a..b"
        let badEnvelope = try #require(throws: ContractViolation.self) { try contracts.validate(event: .object(email)) }
        #expect(badEnvelope.reason == .invalidEnvelope)
        #expect(badEnvelope.errors.map(\.schemaPath) == ["/properties/subject/not"])
        let badSubject = try #require(throws: ContractViolation.self) {
            try contracts.validate(event: Fixtures.event(setting: ["subject"], to: "../etc"))
        }
        #expect(badSubject.reason == .schemaMismatch(type: "pilot.requested"))

        let notObject = try #require(throws: ContractViolation.self) { try contracts.validate(event: [1, 2]) }
        #expect(notObject.reason == .notAnObject)
    }

    /// The runtime validates incoming events in json-c's tree: each verdict, reason and
    /// message must be the one the Swift tree gets.
    @Test func validatesInPlaceAsOnTheSwiftTree() throws {
        var email = Fixtures.event.object!
        email["type"] = "email.send"
        email["data"] = ["to": ["a@b.example"], "subject": "Hi", "eml_path": "x.eml"]
        var badEmail = email
        badEmail["subject"] = "a..b"
        let events: [JSONValue] = [
            Fixtures.event, .object(email), .object(badEmail), [1, 2], "text",
            Fixtures.event(setting: ["type"], to: "pilot.unheard_of"), Fixtures.event(setting: ["type"], to: nil),
            Fixtures.event(setting: ["type"], to: 7), Fixtures.event(setting: ["subject"], to: "../etc"),
            Fixtures.event(setting: ["data", "terms", "duration_days"], to: 45),
        ]
        func verdict(_ validate: () throws(ContractViolation) -> Void) -> String {
            do {
                try validate()
                return "valid"
            } catch {
                return "\(error.reason): \(error.errors.map(\.message))"
            }
        }
        var valid = 0
        for event in events {
            let parsed = try ParsedJSON(parsing: event.serializedBytes())
            let tree = verdict { () throws(ContractViolation) in try contracts.validate(event: event) }
            #expect(verdict { () throws(ContractViolation) in try contracts.validate(event: parsed) } == tree)
            if tree == "valid" { valid += 1 }
        }
        #expect(valid == 2)
    }

    @Test func reportsDataErrorsWithTheirPlace() throws {
        let violation = try #require(throws: ContractViolation.self) {
            try contracts.validate(event: Fixtures.event(setting: ["data", "terms", "duration_days"], to: 45))
        }
        #expect(violation.reason == .schemaMismatch(type: "pilot.requested"))
        #expect(violation.description == """
            the event does not match the schema of "pilot.requested"
              /data/terms/duration_days: 45 is greater than the maximum 30
            """)
    }
}
