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

/// `pilotctl store copy` as an operator runs it, SQLite to SQLite (the PostgreSQL target is
/// covered by StoreCopyTests and Benchmarks/show.sh).
@Suite struct StoreCopyCommandTests {
    @Test func copiesPrintsCountsRefusesANonEmptyTargetAndRerunsWithoutDuplicates() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("copy-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (from, to) = (folder.appendingPathComponent("old.db").path, folder.appendingPathComponent("new/pilot.db").path)
        let store = try SQLitePilotStore(path: from)
        try store.write { tx in
            for index in 0..<3 {
                try tx.savePilot(PilotRecord(threadID: "t\(index)", stage: "agreement", status: "agreement_sent", state: ["i": .int(Int64(index))]))
                try tx.recordHandled(InboxEntry(eventID: "e\(index)", threadID: "t\(index)", handledAt: "2026-11-25T09:00:00Z"))
            }
        }
        let pilotctl = try WorkerProcess.locate("pilotctl").path
        let first = try shell([pilotctl, "store", "copy", "--from", from, "--to", to])
        #expect(first.contains("pilots: 3 read, 3 copied, 0 already there"), "\(first)")
        #expect(first.contains("inbox: 3 read, 3 copied"), "\(first)")
        let refused = #expect(throws: ShellError.self) { try shell([pilotctl, "store", "copy", "--from", from, "--to", to]) }
        #expect(refused?.output.contains("the target store is not empty (inbox 3, pilots 3)") == true, "\(String(describing: refused))")
        let again = try shell([pilotctl, "store", "copy", "--from", from, "--to", to, "--allow-non-empty"])
        #expect(again.contains("pilots: 3 read, 0 copied, 3 already there"), "\(again)")
        let listed = try shell([pilotctl, "pilot", "list", "--database", to])
        #expect(listed.split(separator: "\n").count == 3)
        let bad = #expect(throws: ShellError.self) { try shell([pilotctl, "store", "copy", "--from", from, "--to", "mysql://u:s3cret@h/d"]) }
        #expect(bad?.output.contains("mysql:// databases are not supported") == true && bad?.output.contains("s3cret") == false)
    }
}
