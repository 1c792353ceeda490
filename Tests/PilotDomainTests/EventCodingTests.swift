import Contracts
import Foundation
import PilotDomain
import PilotJSON
import Testing

/// The typed event data against the real schemas in `schemas/`.
@Suite struct EventCodingTests {
    let contracts: Contracts

    init() throws {
        contracts = try Contracts(schemasDirectory: Fixtures.schemasDirectory)
    }

    @Test func decodesTheExampleRequest() throws {
        let request = Fixtures.request
        #expect(request.lead.company.size == .band("51-200"))
        #expect(request.lead.contacts.map(\.technical) == [true, true, false])
        #expect(request.lead.contacts[1].decisionMaker == nil)
        #expect(request.lead.businessHours == BusinessHours(start: "09:00", end: "17:00"))
        #expect(request.qualification.technicalTargets.uptimePct == 99.5)
        #expect(request.terms.pricing.discountPct == 50)
        #expect(request.terms.supportLevel == .dailyCheckins)
    }

    @Test func theExampleFileDecodesToo() throws {
        let url = URL(fileURLWithPath: Fixtures.schemasDirectory).deletingLastPathComponent()
            .appendingPathComponent("examples/pilot.requested.json")
        let event = try JSONValue(parsing: String(contentsOf: url, encoding: .utf8))
        let request = try JSONValueDecoder().decode(PilotRequest.self, from: try #require(event["data"]))
        #expect(request == Fixtures.request)
    }

    @Test func durationDefaultsToThirtyAndSizeMayBeANumber() throws {
        var json = try JSONValue(parsing: Fixtures.requestJSON)
        guard case .object(var data) = json, case .object(var terms)? = data["terms"],
            case .object(var lead)? = data["lead"], case .object(var company)? = lead["company"]
        else { Issue.record("fixture shape"); return }
        terms["duration_days"] = nil
        company["size"] = 120
        lead["company"] = .object(company)
        data["terms"] = .object(terms)
        data["lead"] = .object(lead)
        json = .object(data)
        let request = try JSONValueDecoder().decode(PilotRequest.self, from: json)
        #expect(request.terms.durationDays == nil)
        #expect(request.terms.resolvedDurationDays == 30)
        #expect(request.lead.company.size == .employees(120))
        #expect(try JSONValueEncoder().encode(request) == json)
    }

    @Test func requestRoundTripsExactly() throws {
        let json = try JSONValue(parsing: Fixtures.requestJSON)
        #expect(try JSONValueEncoder().encode(Fixtures.request) == json)
    }

    @Test func agreementGeneratedMatchesItsSchema() throws {
        let data = try JSONValueEncoder().encode(Fixtures.agreementGenerated)
        try contracts.validate(event: Fixtures.event(type: "pilot.agreement.generated", data: data))
        #expect(data["duration_days"] == 30)
        #expect(data["criteria"]?.array?.first?["comparison"] == "<=")
    }

    @Test func kickoffScheduledMatchesItsSchema() throws {
        let scheduled = KickoffScheduled(start: Fixtures.utc("2026-11-26T15:00:00Z"),
            end: Fixtures.utc("2026-11-26T15:30:00Z"), timezone: "America/New_York",
            attendees: ["dana.whitfield@acme-analytics.com", "sam@pilot-worker.dev"],
            icsPath: "threads/sales/acme-2026-11/kickoff-invite.ics",
            emlPath: "threads/sales/acme-2026-11/kickoff-invite.eml")
        let data = try JSONValueEncoder().encode(scheduled)
        try contracts.validate(event: Fixtures.event(type: "pilot.kickoff.scheduled", data: data))
        #expect(data["start"] == "2026-11-26T15:00:00Z")
        #expect(try JSONValueDecoder().decode(KickoffScheduled.self, from: data) == scheduled)
    }

    @Test func signedWithAmendmentsDecodesAndMatches() throws {
        let data = try JSONValue(parsing: #"""
            {"signed_at": "2026-11-30T16:20:00-05:00", "signed_by": {"name": "Dana Whitfield",
             "email": "dana.whitfield@acme-analytics.com"}, "method": "docusign", "start_date": "2026-12-07",
             "amendments": {"duration_days": 21, "support_level": "async",
               "pricing": {"model": "free", "list_price_annual": 48000, "currency": "USD"},
               "criteria": [{"id": "latency_p95_ms", "kind": "technical", "metric": "latency_p95_ms", "target": 250,
                 "comparison": "<=", "unit": "ms", "required": true, "aggregation": "mean"}]}}
            """#)
        try contracts.validate(event: Fixtures.event(type: "pilot.signed", data: data))
        let signed = try JSONValueDecoder().decode(PilotSigned.self, from: data)
        #expect(signed.startDate == Fixtures.date("2026-12-07"))
        #expect(signed.signedAt == Fixtures.utc("2026-11-30T21:20:00Z"))
        #expect(signed.amendments?.durationDays == 21)
        #expect(signed.amendments?.criteria?.first?.target == 250)
        #expect(signed.amendments?.useCases == nil)
        let again = try JSONValueEncoder().encode(signed)
        try contracts.validate(event: Fixtures.event(type: "pilot.signed", data: again))
    }

    @Test func declinedRoundTrips() throws {
        let declined = PilotDeclined(declinedAt: Fixtures.utc("2026-12-01T10:00:00Z"), reason: "Budget frozen")
        let data = try JSONValueEncoder().encode(declined)
        try contracts.validate(event: Fixtures.event(type: "pilot.declined", data: data))
        #expect(try JSONValueDecoder().decode(PilotDeclined.self, from: data) == declined)
    }

    @Test func aBadStartDateIsADecodingError() throws {
        let data: JSONValue = ["signed_at": "2026-11-30T16:20:00Z", "signed_by": ["name": "D", "email": "d@x.test"],
            "method": "email", "start_date": "2026-02-30"]
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(PilotSigned.self, from: data) }
    }
}
