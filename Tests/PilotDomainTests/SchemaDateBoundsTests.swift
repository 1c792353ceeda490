import Contracts
import Foundation
import PilotDomain
import PilotJSON
import Testing

/// Every instant the schemas accept can be written back: the typed events keep instants in
/// UTC, to the microsecond, with a four-digit year, so "9999-12-31T23:59:59.999999999Z"
/// (the next second, year 10000) or "0000-01-01T00:00:00+01:00" (year -1) passed the check
/// and then failed to encode (found by replaying edge dates through Fuzzing/, see its README).
@Suite struct SchemaDateBoundsTests {
    static func feedback(submittedAt: String) -> JSONValue {
        Fixtures.event(type: "pilot.feedback", data: [
            "respondent": ["name": "Ravi Menon", "email": "ravi.menon@acme-analytics.com"],
            "score": 9, "submitted_at": .string(submittedAt),
        ])
    }

    @Test(arguments: ["1000-01-01T00:00:00+23:59", "8999-12-31T23:59:59.9999999-23:59", "2026-12-03T10:00:00.5Z"])
    func anInstantAtTheEdgesDecodesAndEncodes(_ text: String) throws {
        let contracts = try Contracts(schemasDirectory: Fixtures.schemasDirectory)
        let event = Self.feedback(submittedAt: text)
        try contracts.validate(event: event)
        let decoded = try JSONValueDecoder().decode(PilotFeedback.self, from: #require(event["data"]))
        let encoded = try JSONValueEncoder().encode(decoded)
        #expect(try JSONValueDecoder().decode(PilotFeedback.self, from: encoded) == decoded)
    }

    @Test(arguments: ["9999-12-31T23:59:59.999999999Z", "0000-01-01T00:00:00+01:00", "0999-12-31T23:59:59Z", "9000-01-01T00:00:00Z"])
    func anInstantOutsideTheYearsIsRefused(_ text: String) throws {
        let contracts = try Contracts(schemasDirectory: Fixtures.schemasDirectory)
        let violation = try #require(throws: ContractViolation.self) { try contracts.validate(event: Self.feedback(submittedAt: text)) }
        #expect(violation.reason == .schemaMismatch(type: "pilot.feedback"))
    }

    static func signed(startDate: String) -> JSONValue {
        Fixtures.event(type: "pilot.signed", data: [
            "signed_at": "2026-11-30T16:12:31Z", "signed_by": ["name": "Laura Chen", "email": "laura.chen@acme-analytics.com"],
            "method": "docusign", "start_date": .string(startDate),
        ])
    }

    @Test(arguments: ["0000-01-01", "9999-12-31", "0999-01-01"])
    func aDateOutsideTheYearsIsRefused(_ text: String) throws {
        let contracts = try Contracts(schemasDirectory: Fixtures.schemasDirectory)
        try contracts.validate(event: Self.signed(startDate: "2026-12-01"))
        #expect(throws: ContractViolation.self) { try contracts.validate(event: Self.signed(startDate: text)) }
    }
}
