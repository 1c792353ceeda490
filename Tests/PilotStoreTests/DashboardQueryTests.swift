import Foundation
import PilotJSON
import PilotStore
import Testing

/// The reads the dashboard pages through: pilots at-risk first, and finished pilots by reason.
@Suite struct DashboardQueryTests {
    static func pilot(_ thread: String, status: String = "active", health: Int? = nil, at time: String, extra: [(String, JSONValue)] = []) -> PilotRecord {
        let company: JSONValue = ["name": .string(thread)]
        let lead: JSONValue = ["company": company]
        let request: JSONValue = ["lead": lead]
        var state = JSONObject([("request", request)])
        if let health {
            let reasons: JSONValue = ["no metrics for 3 days"]
            state["health"] = ["score": .int(Int64(health)), "label": "at risk", "reasons": reasons]
        }
        for (key, value) in extra { state[key] = value }
        return PilotRecord(threadID: thread, stage: "monitoring", status: status, state: .object(state), updatedAt: time)
    }

    @Test(arguments: Backend.all) func pilotsComeAtRiskFirstThenMostRecentAndPageWithoutGapsOrRepeats(backend: Backend) throws {
        try withStore(backend) { store in
            try store.write { tx in
                try tx.savePilot(Self.pilot("healthy", health: 92, at: "2026-11-25T09:00:00Z"))
                try tx.savePilot(Self.pilot("old-no-score", at: "2026-11-20T09:00:00Z"))
                try tx.savePilot(Self.pilot("new-no-score", at: "2026-11-28T09:00:00Z"))
                try tx.savePilot(Self.pilot("sinking", health: 31, at: "2026-11-21T09:00:00Z"))
                try tx.savePilot(Self.pilot("wobbly", health: 55, at: "2026-11-22T09:00:00Z"))
            }
            let all = try store.read { try $0.pilotsAtRiskFirst(offset: 0, limit: 10) }.map(\.threadID)
            #expect(all == ["sinking", "wobbly", "healthy", "new-no-score", "old-no-score"])
            let pages = try (0..<3).flatMap { page in
                try store.read { try $0.pilotsAtRiskFirst(offset: page * 2, limit: 2) }.map(\.threadID)
            }
            #expect(pages == all)
            #expect(try store.read { try $0.pilotsAtRiskFirst(offset: 10, limit: 2) }.isEmpty)
        }
    }

    @Test func theRiskOrderUsesTheIndexNotASortOfEveryState() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/pilot.db"
            _ = try SQLitePilotStore(path: path)
            let plan = try SQLiteDatabase(path: path).query(
                "EXPLAIN QUERY PLAN SELECT thread_id FROM pilots ORDER BY \(PilotSchema.riskExpression), updated_at DESC, thread_id LIMIT 50"
            ) { $0.string(3) }
            #expect(plan.contains { $0.contains("pilots_by_risk") }, "\(plan)")
            #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
        }
    }

    @Test(arguments: Backend.all) func theLongestWaitsComeFirst(backend: Backend) throws {
        try withStore(backend) { store in
            try store.write { tx in
                try tx.savePilot(Self.pilot("recent", status: "kickoff_scheduled", at: "2026-11-29T09:00:00Z"))
                try tx.savePilot(Self.pilot("oldest", status: "kickoff_scheduled", at: "2026-11-20T09:00:00Z"))
                try tx.savePilot(Self.pilot("middle", status: "kickoff_scheduled", at: "2026-11-24T09:00:00Z"))
                try tx.savePilot(Self.pilot("signed", status: "active", at: "2026-11-01T09:00:00Z"))
            }
            let waiting = try store.read { try $0.pilotsWaitingLongest(status: "kickoff_scheduled", limit: 2) }
            #expect(waiting.map(\.threadID) == ["oldest", "middle"])
        }
    }

    @Test func countsByStageAndStatusReadOnlyAnIndex() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/pilot.db"
            _ = try SQLitePilotStore(path: path)
            let plan = try SQLiteDatabase(path: path).query(
                "EXPLAIN QUERY PLAN SELECT stage, status, count(*) FROM pilots GROUP BY stage, status ORDER BY stage, status"
            ) { $0.string(3) }
            #expect(plan.contains { $0.contains("COVERING INDEX pilots_by_stage_status") }, "\(plan)")
        }
    }

    @Test(arguments: Backend.all) func outcomesCountFinishedPilotsByStatusAndReason(backend: Backend) throws {
        try withStore(backend) { store in
            try store.write { tx in
                try tx.savePilot(Self.pilot("won-1", status: "completed", at: "2026-11-25T09:00:00Z"))
                try tx.savePilot(Self.pilot("won-2", status: "completed", at: "2026-11-25T09:00:00Z"))
                try tx.savePilot(Self.pilot("lost-1", status: "lost", at: "2026-11-25T09:00:00Z"))
                try tx.savePilot(Self.pilot("lost-2", status: "lost", at: "2026-11-25T09:00:00Z", extra: [("loss_reason", "no_signature")]))
                try tx.savePilot(Self.pilot("declined", status: "declined", at: "2026-11-25T09:00:00Z", extra: [("declined_reason", "budget")]))
                try tx.savePilot(Self.pilot("running", status: "active", at: "2026-11-25T09:00:00Z"))
            }
            let counts = try store.read { try $0.outcomeCounts() }
            #expect(Set(counts) == [
                OutcomeCount(status: "completed", reason: nil, count: 2), OutcomeCount(status: "lost", reason: nil, count: 1),
                OutcomeCount(status: "lost", reason: "no_signature", count: 1),
                OutcomeCount(status: "declined", reason: "budget", count: 1),
            ])
        }
    }
}
