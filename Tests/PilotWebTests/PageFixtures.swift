import Contracts
import Foundation
import Hummingbird
import PilotDomain
import PilotJSON
import PilotRuntime
import PilotStore
import PilotTestKit
import Testing
@testable import PilotWeb

/// A store and a workspace in a temporary folder, with pilots in it, for the page tests.
final class PageFixture: Sendable {
    static let secret = "share-secret-0123456789abcdef"
    static let now = Date(timeIntervalSince1970: 1_796_000_000)

    let folder: URL
    let store: any PilotStore
    /// The `PILOT_DATABASE` pilot-web is given; empty for the SQLite default, which the
    /// app is then handed already open.
    let database: String

    /// `database`: a PostgreSQL URL, which pilot-web then opens itself.
    init(database: String = "") throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("pages-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        self.database = database
        store = database.isEmpty
            ? try SQLitePilotStore(path: folder.appendingPathComponent(".pilot/pilot.db").path) : try PostgresPilotStore(url: database)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    static func state(company: String = "Acme Analytics", health: Int? = nil, extra: [(String, JSONValue)] = []) throws -> JSONValue {
        var request = TestEvents.sampleRequest.object!
        var lead = request["lead"]!.object!
        var companyObject = lead["company"]!.object!
        companyObject["name"] = .string(company)
        lead["company"] = .object(companyObject)
        request["lead"] = .object(lead)
        let criterion = Criterion(
            id: "latency_p95_ms", kind: .technical, metric: "latency_p95_ms", target: 300, comparison: .atMost, unit: "ms",
            required: true, aggregation: "p95")
        let signer: JSONValue = ["name": "Dana Whitfield", "email": "dana@acme.example"]
        var state = JSONObject([
            ("request", .object(request)), ("criteria", .array([try JSONValueEncoder().encode(criterion)])),
            ("requested_at", "2026-11-25T09:00:00Z"), ("proposed_start_date", "2026-12-01"),
            ("kickoff_start", "2026-11-27T15:00:00Z"), ("signed_at", "2026-11-28T14:00:00Z"),
            ("signed_by", signer), ("start_date", "2026-12-01"), ("duration_days", 14),
        ])
        if let health {
            let reasons: JSONValue = ["No metrics for 3 days"]
            let object: JSONValue = ["score": .int(Int64(health)), "label": "at risk", "reasons": reasons]
            state["health"] = object
        }
        for (key, value) in extra { state[key] = value }
        return .object(state)
    }

    /// A signed, running pilot with a snapshot of day 5, a document, a chart and an issue.
    func addPilot(_ thread: String, company: String = "Acme Analytics", status: String = "active", health: Int? = nil,
        updatedAt: String = "2026-12-05T09:00:00Z") throws
    {
        let folder = "threads/sales/\(thread)"
        let files: [(String, String)] = [
            ("\(folder)/pilot-agreement-custom.md", "# Pilot agreement for \(company)\n"),
            ("\(folder)/monitoring/day-05.json", #"{"day": 5, "duration_days": 14, "phase": "active_usage", "phase_title": "Active usage", "criteria": [{"id": "latency_p95_ms", "metric": "latency_p95_ms", "required": true, "comparison": "<=", "target": 300, "unit": "ms", "aggregation": "p95", "day_value": 212.5, "so_far": 230, "met": true, "at_risk": false, "trend": "improving"}]}"#),
            ("\(folder)/charts/latency_p95_ms.svg", #"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>"#),
            ("\(folder)/kickoff-invite.eml", "Subject: Kickoff\n"),
        ]
        for (path, text) in files {
            let url = self.folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        try store.write { tx in
            try tx.savePilot(PilotRecord(
                threadID: thread, stage: "monitoring", status: status, state: try Self.state(company: company, health: health),
                createdAt: "2026-11-25T09:00:00Z", updatedAt: updatedAt))
            for (path, text) in files {
                try tx.recordDocument(DocumentEntry(threadID: thread, path: path, size: Int64(text.utf8.count), writtenAt: updatedAt))
            }
            try tx.upsertMetrics(MetricsEntry(threadID: thread, day: 1, data: ["technical": ["latency_p95_ms": 212.5]],
                receivedAt: "2026-12-01T18:00:00Z", eventID: "m-\(thread)-1"))
            try tx.upsertIssue(
                IssueEntry(threadID: thread, issueID: "SUP-1", data: [
                    "issue_id": "SUP-1", "title": "Nightly sync <slow>", "severity": "high", "status": "open",
                    "reported_at": "2026-12-03T09:00:00Z",
                ]),
                history: IssueHistoryEntry(threadID: thread, issueID: "SUP-1", eventID: "i-\(thread)-1", status: "open"))
            try tx.recordHandled(InboxEntry(
                eventID: "req-\(thread)", threadID: thread, type: "pilot.requested", stage: "agreement", worker: "host-1/42",
                handledAt: "2026-11-25T09:00:01Z", durationMilliseconds: 4.2, outcome: "done"))
            try tx.recordHandled(InboxEntry(
                eventID: "gen-\(thread)", threadID: thread, type: "pilot.agreement.generated", causationID: "req-\(thread)",
                stage: "kickoff", worker: "host-1/42", handledAt: "2026-11-25T09:00:02Z", durationMilliseconds: 3.1, outcome: "done"))
        }
    }

    /// Saves `state` as `thread`'s, at `stage`, keeping its status: what a later stage's
    /// commit leaves.
    func replaceState(_ thread: String, with state: JSONValue, stage: String) throws {
        try store.write { tx in
            let record = try #require(try tx.pilot(thread))
            _ = try tx.savePilot(PilotRecord(threadID: thread, stage: stage, status: record.status, state: state, version: record.version))
        }
    }

    /// The buyer's page of `thread` through a valid link, which must answer 200.
    func buyerPage(_ thread: String) async throws -> String {
        try await app().test(.router) { client in
            let response = try await client.execute(uri: PageFixture.link(thread).path, method: .get)
            #expect(response.status == .ok)
            return String(buffer: response.body)
        }
    }

    /// - Parameter documents: where the pages read the documents; nil, the fixture's folder.
    func app(token: String? = Fixtures.token, secret: String? = PageFixture.secret, documents: (any DocumentStore)? = nil)
        throws -> Application<RouterResponder<BasicRequestContext>>
    {
        var configuration = try WebConfiguration(
            host: "127.0.0.1", port: String(freeLoopbackPort()), token: token ?? "", amqpURL: Fixtures.nowhere,
            secret: secret ?? "", database: database, workspace: folder.path, managementURL: "http://127.0.0.1:\(freeLoopbackPort())")
        configuration.documents = documents
        return PilotWebApplication.make(
            configuration: configuration, contracts: TestEvents.contracts, logger: Fixtures.logger, store: database.isEmpty ? store : nil,
            now: { PageFixture.now })
    }

    static func link(_ thread: String, days: Int = 30) -> ShareLink {
        ShareLink(threadID: thread, days: days, now: now, secret: secret)
    }
}
