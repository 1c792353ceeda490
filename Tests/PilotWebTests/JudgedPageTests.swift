import Contracts
import Foundation
import PilotDomain
import PilotJSON
import PilotStore
import Testing
@testable import PilotWeb

/// The buyer's page once the results are in: each criterion as the results judged it,
/// not the last daily snapshot's standing.
@Suite struct JudgedPageTests {
    /// Three criteria over the fixture's 14 days: latency p95 ≤ 300 ms (required), the
    /// same metric ≤ 200 ms (optional), hours saved ≥ 25 h (required).
    static let criteria = [
        Criterion(
            id: "latency_p95_ms", kind: .technical, metric: "latency_p95_ms", target: 300, comparison: .atMost, unit: "ms",
            required: true, aggregation: "p95"),
        Criterion(
            id: "latency_stretch", kind: .technical, metric: "latency_p95_ms", target: 200, comparison: .atMost, unit: "ms",
            required: false, aggregation: "p95"),
        Criterion(
            id: "hours_saved", kind: .business, metric: "hours_saved", target: 25, comparison: .atLeast, unit: "h",
            required: true, aggregation: "sum"),
    ]

    /// A daily snapshot of `day` on which latency is at risk and the hours fall short of
    /// the whole pilot's 25 h: what the page showed before the results were read.
    static func snapshot(day: Int, latency: Double, hours: Double) -> String {
        let rows = [
            #"{"id": "latency_p95_ms", "metric": "latency_p95_ms", "comparison": "<=", "target": 300, "unit": "ms", "day_value": \#(latency), "so_far": \#(latency), "met": false, "at_risk": true, "trend": "worsening"}"#,
            #"{"id": "latency_stretch", "metric": "latency_p95_ms", "required": false, "comparison": "<=", "target": 200, "unit": "ms", "day_value": \#(latency), "so_far": \#(latency), "met": false, "at_risk": true, "trend": "worsening"}"#,
            #"{"id": "hours_saved", "metric": "hours_saved", "comparison": ">=", "target": 25, "unit": "h", "day_value": 2, "so_far": \#(hours), "met": false, "at_risk": false, "trend": "steady"}"#,
        ]
        return #"{"day": \#(day), "duration_days": 14, "criteria": [\#(rows.joined(separator: ", "))]}"#
    }

    /// `thread` judged: its state (with `results_days` unless nil, as an older build left
    /// it), snapshots of `snapshotDays`, and the results' `outcome.json` (latency 240 ms,
    /// 11 h saved against `hoursTarget`).
    func judge(_ fixture: PageFixture, _ thread: String, resultsDays: Int?, snapshotDays: [Int], hoursTarget: Double) throws {
        let hoursMet = 11 >= hoursTarget
        try fixture.addPilot(thread, status: hoursMet ? "completed" : "lost")
        let encoder = JSONValueEncoder()
        let state = try PageFixture.state(extra: [("criteria", .array(try Self.criteria.map { try encoder.encode($0) }))]
            + (resultsDays.map { [("results_days", .int(Int64($0)))] } ?? []))
        let outcome = PilotOutcome(
            status: hoursMet ? .success : .failed,
            technicalMetrics: [
                .init(metric: "latency_p95_ms", target: 300, comparison: .atMost, actual: 240, met: true, unit: "ms"),
                .init(metric: "latency_p95_ms", target: 200, comparison: .atMost, actual: 240, met: false, unit: "ms"),
            ],
            businessMetrics: [.init(metric: "hours_saved", target: hoursTarget, comparison: .atLeast, actual: 11, met: hoursMet, unit: "h")],
            userFeedback: .init(nps: nil, responses: 0, averageScore: nil), issues: .init(resolved: 0, unresolved: 1),
            nextAction: hoursMet ? .salesClose : .none, failureReasons: hoursMet ? [] : ["hours_saved"])
        let folder = "threads/sales/\(thread)"
        let files = snapshotDays.map { day in
            ("\(folder)/monitoring/day-\(String(format: "%02d", day)).json", Array(Self.snapshot(day: day, latency: 250 + Double(day), hours: 10).utf8))
        } + [("\(folder)/outcome.json", outcome.document.serializedBytes())]
        for (path, bytes) in files {
            let url = fixture.folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        try fixture.replaceState(thread, with: state, stage: "next-action")
        try fixture.store.write { tx in
            for (path, bytes) in files {
                try tx.recordDocument(DocumentEntry(threadID: thread, path: path, size: Int64(bytes.count), writtenAt: "2026-12-10T09:00:00Z"))
            }
        }
    }

    @Test func anEarlyCloseShowsItsResultsOnItsOwnDays() async throws {
        let fixture = try PageFixture()
        defer { fixture.remove() }
        // Asked on day 9 to close after day 7: 11 h against 25 × 7 ÷ 14 = 12.5 h, not met.
        try judge(fixture, "acme-early", resultsDays: 7, snapshotDays: [5, 7, 9], hoursTarget: 12.5)
        let html = try await fixture.buyerPage("acme-early")
        for expected in [
            "Finished: day 7 of 14, closed early. The pilot did not meet its success criteria.",
            "Results of days 1 to 7 of 14: closed early.", "≥ 12.5 h for 7 days (≥ 25 h over 14 days)",
            // Each latency criterion gets its own result: the required one met, the stretch not.
            "<td>≤ 300 ms</td><td>257 ms</td><td>240 ms</td><td>Worsening</td><td><span class=\"status good\">Met</span>",
            "<td>≤ 200 ms</td><td>257 ms</td><td>240 ms</td><td>Worsening</td><td><span class=\"status bad\">Not met</span>",
            "<td>11 h</td><td>Steady</td><td><span class=\"status bad\">Not met</span>",
        ] {
            #expect(html.contains(expected), "missing \(expected)")
        }
        // The daily standing is gone, and day 9, after the days judged, is not shown.
        for unexpected in ["Not met yet", "At risk", "As of day", "259 ms"] {
            #expect(!html.contains(unexpected), "unexpected \(unexpected)")
        }
    }

    @Test func aPilotJudgedOnAllItsDaysSaysSo() async throws {
        let fixture = try PageFixture()
        defer { fixture.remove() }
        try judge(fixture, "acme-whole", resultsDays: 14, snapshotDays: [14], hoursTarget: 25)
        let html = try await fixture.buyerPage("acme-whole")
        for expected in ["Finished: day 14 of 14. The pilot did not meet its success criteria.", "Results of all 14 days.", "<td>≥ 25 h</td>"] {
            #expect(html.contains(expected), "missing \(expected)")
        }
        #expect(!html.contains("closed early") && !html.contains("Not met yet"))
    }

    /// Results an older build compiled say nothing of their days: the page does not guess.
    @Test func resultsWithoutTheirDaysAreNotCalledWhole() async throws {
        let fixture = try PageFixture()
        defer { fixture.remove() }
        try judge(fixture, "acme-older", resultsDays: nil, snapshotDays: [7], hoursTarget: 12.5)
        let html = try await fixture.buyerPage("acme-older")
        for expected in ["Finished. The pilot did not meet its success criteria.", "Results of the pilot.", "≥ 12.5 h (≥ 25 h over 14 days)", "240 ms"] {
            #expect(html.contains(expected), "missing \(expected)")
        }
        #expect(!html.contains("Results of all") && !html.contains("Not met yet") && !html.contains("Finished: day"))
    }

    /// An `outcome.json` that does not read as results leaves the daily standing.
    @Test func unreadableResultsLeaveTheDailyStanding() async throws {
        let fixture = try PageFixture()
        defer { fixture.remove() }
        try judge(fixture, "acme-broken", resultsDays: 7, snapshotDays: [7], hoursTarget: 12.5)
        try Data("{\"status\": ".utf8).write(to: fixture.folder.appendingPathComponent("threads/sales/acme-broken/outcome.json"))
        let html = try await fixture.buyerPage("acme-broken")
        #expect(html.contains("As of day 7 of 14") && html.contains("Not met yet") && html.contains("At risk"))
    }
}
