import Contracts
import Foundation
import HummingbirdTesting
import PilotDomain
import PilotJSON
import PilotStore
import Testing
@testable import PilotWeb

/// The buyer's page once the results are in: each criterion as the results judged it,
/// not the last daily snapshot's standing.
@Suite struct JudgedPageTests {
    /// Latency p95 ≤ 300 ms and hours saved ≥ 25 h over the fixture's 14 days.
    static let hoursSaved = Criterion(
        id: "hours_saved", kind: .business, metric: "hours_saved", target: 25, comparison: .atLeast, unit: "h",
        required: true, aggregation: "sum")

    /// `thread` judged on `days` of its 14: the state, a day-`days` snapshot on which the
    /// hours so far fall short of the whole pilot's 25 h, and the results' `outcome.json`.
    func judge(_ fixture: PageFixture, _ thread: String, days: Int, hoursTarget: Double, hoursMet: Bool) throws {
        try fixture.addPilot(thread, status: hoursMet ? "completed" : "lost")
        let latency = try #require(PageFixture.state()["criteria"]?.array?.first)
        let state = try PageFixture.state(extra: [
            ("criteria", .array([latency, try JSONValueEncoder().encode(Self.hoursSaved)])),
            ("results_days", .int(Int64(days))),
        ])
        let day = String(format: "%02d", days)
        let snapshot = #"{"day": \#(days), "duration_days": 14, "criteria": [{"id": "latency_p95_ms", "metric": "latency_p95_ms", "comparison": "<=", "target": 300, "unit": "ms", "day_value": 212.5, "so_far": 230, "met": true, "at_risk": false, "trend": "improving"}, {"id": "hours_saved", "metric": "hours_saved", "comparison": ">=", "target": 25, "unit": "h", "day_value": 2, "so_far": 10, "met": false, "at_risk": false, "trend": "steady"}]}"#
        let outcome = PilotOutcome(
            status: hoursMet ? .success : .failed,
            technicalMetrics: [.init(metric: "latency_p95_ms", target: 300, comparison: .atMost, actual: 230, met: true, unit: "ms")],
            businessMetrics: [.init(metric: "hours_saved", target: hoursTarget, comparison: .atLeast, actual: 10, met: hoursMet, unit: "h")],
            userFeedback: .init(nps: nil, responses: 0, averageScore: nil), issues: .init(resolved: 0, unresolved: 1),
            nextAction: hoursMet ? .salesClose : .none, failureReasons: hoursMet ? [] : ["hours_saved"])
        let folder = "threads/sales/\(thread)"
        let files = [
            ("\(folder)/monitoring/day-\(day).json", Array(snapshot.utf8)), ("\(folder)/outcome.json", outcome.document.serializedBytes()),
        ]
        for (path, bytes) in files {
            let url = fixture.folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        try fixture.store.write { tx in
            let record = try #require(try tx.pilot(thread))
            _ = try tx.savePilot(PilotRecord(
                threadID: thread, stage: "next-action", status: record.status, state: state, version: record.version))
            for (path, bytes) in files {
                try tx.recordDocument(DocumentEntry(threadID: thread, path: path, size: Int64(bytes.count), writtenAt: "2026-12-10T09:00:00Z"))
            }
        }
    }

    @Test func anEarlyCloseShowsItsResultsOnItsOwnDays() async throws {
        let fixture = try PageFixture()
        defer { fixture.remove() }
        // Closed after day 7: 10 h against 25 × 7 ÷ 14 = 12.5 h, not met.
        try judge(fixture, "acme-early", days: 7, hoursTarget: 12.5, hoursMet: false)
        try await fixture.app().test(.router) { client in
            let response = try await client.execute(uri: PageFixture.link("acme-early").path, method: .get)
            #expect(response.status == .ok)
            let html = PageTests.text(response)
            for expected in [
                "Finished: day 7 of 14, closed early. The pilot did not meet its success criteria.",
                "Results of days 1 to 7 of 14: closed early.", "≥ 12.5 h for 7 days (≥ 25 h over 14)",
                ">Not met<", ">Met<", "10 h", "230 ms",
            ] {
                #expect(html.contains(expected), "missing \(expected)")
            }
            // The daily standing ("not met yet" against the whole pilot's 25 h) is gone.
            #expect(!html.contains("Not met yet"))
            #expect(!html.contains("As of day 7"))
        }
    }

    @Test func aPilotJudgedOnAllItsDaysSaysSo() async throws {
        let fixture = try PageFixture()
        defer { fixture.remove() }
        try judge(fixture, "acme-whole", days: 14, hoursTarget: 25, hoursMet: false)
        try await fixture.app().test(.router) { client in
            let html = PageTests.text(try await client.execute(uri: PageFixture.link("acme-whole").path, method: .get))
            for expected in ["Finished: day 14 of 14. The pilot did not meet its success criteria.", "Results of all 14 days.", ">≥ 25 h<", ">Not met<"] {
                #expect(html.contains(expected), "missing \(expected)")
            }
            #expect(!html.contains("closed early") && !html.contains("Not met yet"))
        }
    }
}
