import Foundation
import PilotJSON
import PilotStore
import PilotTestKit
import Testing

/// `pilotctl pilot show` on a store as the stages leave it, without a broker.
@Suite struct PilotShowTests {
    @Test func aStalledPilotSaysSoWithItsOpenAlertsAndHistory() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("show-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("pilot.db").path
        let store = try SQLitePilotStore(path: path)
        let state: JSONValue = [
            "health": [
                "score": 58, "label": "poor", "reasons": ["Nothing from the lead for 8 days"], "day": 15,
                "lead_records": 6, "last_active_day": 7,
                "open_alerts": [["kind": "stalled", "severity": "warning", "since": 14]],
            ],
            "history": [[
                "at": "2026-12-01T09:00:00Z", "change": "extended", "by": ["name": "Dana Whitfield", "email": "dana@acme.com"],
                "what": "Extended by 7 days: 14 → 21 days", "why": "late integration", "event_id": "e1",
            ]],
        ]
        _ = try store.write { try $0.savePilot(PilotRecord(threadID: "quiet", stage: "monitoring", status: "active", state: state)) }
        let shown = try shell([try WorkerProcess.locate("pilotctl").path, "pilot", "show", "quiet", "--database", path])
        #expect(shown.contains("health 58/100 (poor) on day 15"), "\(shown)")
        #expect(shown.contains("STALLED: nothing from the lead since day 7"))
        #expect(shown.contains("open alerts: stalled since day 14 (warning)"))
        #expect(shown.contains("extended  by Dana Whitfield <dana@acme.com>: Extended by 7 days: 14 → 21 days; why: late integration"))
    }
}
