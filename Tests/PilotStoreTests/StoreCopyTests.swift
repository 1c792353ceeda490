import Foundation
import PilotJSON
import PilotStore
import Testing

/// `StoreCopy`: a SQLite installation moved to another store keeps everything.
@Suite struct StoreCopyTests {
    /// A source with a row in every table.
    static func fill(_ store: any PilotStore) throws {
        try store.write { tx in
            var pilot = try tx.savePilot(samplePilot("acme"))
            try tx.savePilot(pilot)
            pilot = try tx.savePilot(try tx.pilot("acme")!)  // version 3
            try tx.savePilot(samplePilot("beta", at: "2026-11-26T09:00:00Z"))
            for (index, thread) in ["acme", "acme", "beta"].enumerated() {
                try tx.recordHandled(InboxEntry(
                    eventID: "e\(index)", threadID: thread, type: "pilot.requested", handledAt: "2026-11-25T09:00:0\(index)Z",
                    durationMilliseconds: 1.25, outcome: "ok"))
            }
            var binary = sampleMessage("pending", body: [0, 1, 0xFF, 0x80])
            binary.headers = JSONObject([("x-attempts", .int(3))])
            try tx.enqueue([sampleMessage("sent"), binary])
            try tx.markSent(eventIDs: ["sent"], at: "2026-11-25T09:01:00Z")
            try tx.recordDocument(DocumentEntry(threadID: "acme", path: "threads/sales/acme/a.md", sha256: "ff", size: 3, eventID: "e0"))
            try tx.upsertMetrics(MetricsEntry(threadID: "acme", day: 1, data: ["uptime_pct": 99.5], eventID: "m1"))
            try tx.upsertIssue(
                IssueEntry(threadID: "acme", issueID: "I-1", data: ["status": "open"], updatedAt: "t1"),
                history: IssueHistoryEntry(threadID: "acme", issueID: "I-1", eventID: "i1", status: "open", at: "t1"))
            try tx.addFeedback(FeedbackEntry(threadID: "acme", eventID: "f1", data: ["score": 9], submittedAt: "t2"))
        }
    }

    struct Snapshot: Equatable {
        var pilots: [PilotRecord], inbox: [InboxEntry], pending: [OutboxMessage], documents: [DocumentEntry]
        var metrics: [MetricsEntry], issues: [IssueEntry], history: [IssueHistoryEntry], feedback: [FeedbackEntry]

        init(_ store: any PilotStore) throws {
            (pilots, inbox, pending, documents, metrics, issues, history, feedback) = try store.read { r in
                (try r.pilots(limit: 100), try r.handledEvents(threadID: "acme") + r.handledEvents(threadID: "beta"),
                 try r.pendingOutbox(limit: 100), try r.documents(threadID: "acme"), try r.metrics(threadID: "acme"),
                 try r.issues(threadID: "acme"), try r.issueHistory(threadID: "acme"), try r.feedback(threadID: "acme"))
            }
        }
    }

    @Test(arguments: Backend.all) func everythingArrivesOnceAndARerunAddsNothing(target backend: Backend) throws {
        try withStore(.sqlite) { source in
            try Self.fill(source)
            try withStore(backend) { target in
                let counts = try StoreCopy.copy(from: source, to: target)
                #expect(counts.map(\.table) == ["pilots", "documents", "metrics", "issues", "issue_history", "feedback", "inbox", "outbox"])
                #expect(counts.map(\.copied) == [2, 1, 1, 1, 1, 1, 3, 2])
                let copied = try Snapshot(target)
                #expect(copied == (try Snapshot(source)))
                #expect(copied.pilots.first { $0.threadID == "acme" }?.version == 3)

                // The target is no longer empty: refused, unless told; then nothing twice.
                #expect(throws: StoreCopy.NonEmptyTarget.self) { try StoreCopy.copy(from: source, to: target) }
                let again = try StoreCopy.copy(from: source, to: target, allowNonEmpty: true)
                #expect(again.allSatisfy { $0.copied == 0 } && again.map(\.read) == counts.map(\.read))
                #expect(try Snapshot(target) == copied)

                // New outbox rows come after the copied ones; copied pilots keep their versions.
                try target.write { try $0.enqueue([sampleMessage("new")]) }
                let pending = try target.read { try $0.pendingOutbox(limit: 10) }
                #expect(pending.map(\.eventID) == ["pending", "new"])
                #expect(pending[1].seq! > pending[0].seq!)
                var acme = try #require(copied.pilots.first { $0.threadID == "acme" })
                acme.state = ["n": 1]
                #expect(try target.write { try $0.savePilot(acme) }.version == 4)
            }
        }
    }
}
