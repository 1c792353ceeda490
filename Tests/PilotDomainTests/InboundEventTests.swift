import Contracts
import Foundation
import PilotDomain
import PilotJSON
import Testing

/// `pilot.metrics`, `pilot.issue` and `pilot.feedback` data: the schemas' own
/// examples decode, and what we encode validates.
@Suite struct InboundEventTests {
    let contracts: Contracts

    init() throws {
        contracts = try Contracts(schemasDirectory: Fixtures.schemasDirectory)
    }

    func exampleData(_ type: String) throws -> JSONValue {
        let url = URL(fileURLWithPath: Fixtures.schemasDirectory).appendingPathComponent(type + ".v1.json")
        let schema = try JSONValue(parsing: String(contentsOf: url, encoding: .utf8))
        return try #require(schema["examples"]?.array?.first?["data"])
    }

    @Test func metrics() throws {
        let data = try exampleData("pilot.metrics")
        let metrics = try JSONValueDecoder().decode(PilotMetrics.self, from: data)
        #expect(metrics.day == 3)
        #expect(metrics.technical?.latencyP95Ms == 212.4)
        #expect(metrics.technical?.requests == 18_234)
        #expect(metrics.business?.hoursSaved == 2.5)
        #expect(metrics.value(of: "uptime_pct") == 100)
        #expect(metrics.value(of: "tasks_completed") == 37)
        #expect(metrics.value(of: "nps") == nil)
        #expect(try JSONValueEncoder().encode(metrics) == data)
        // Only the business half.
        let business = PilotMetrics(day: 4, business: .init(hoursSaved: 1))
        try contracts.validate(event: Fixtures.event(type: "pilot.metrics",
            data: try JSONValueEncoder().encode(business)))
    }

    @Test func issue() throws {
        let data = try exampleData("pilot.issue")
        let issue = try JSONValueDecoder().decode(PilotIssue.self, from: data)
        #expect(issue.issueID == "SUP-1042")
        #expect(issue.severity == .medium && issue.status == .resolved)
        #expect(issue.resolvedAt == Fixtures.utc("2026-12-05T14:18:00Z"))
        #expect(!issue.isOpenCritical)
        let open = PilotIssue(issueID: "SUP-1", title: "Down", severity: .critical, status: .open,
            reportedAt: Fixtures.utc("2026-12-05T14:18:00Z"))
        #expect(open.isOpenCritical)
        try contracts.validate(event: Fixtures.event(type: "pilot.issue", data: try JSONValueEncoder().encode(open)))
    }

    @Test func feedback() throws {
        let data = try exampleData("pilot.feedback")
        let feedback = try JSONValueDecoder().decode(PilotFeedback.self, from: data)
        #expect(feedback.respondent.role == "Staff Data Engineer")
        #expect(feedback.score == 9)
        #expect(feedback.comment == "The Monday digest now writes itself.")
        try contracts.validate(event: Fixtures.event(type: "pilot.feedback",
            data: try JSONValueEncoder().encode(feedback)))
    }
}
