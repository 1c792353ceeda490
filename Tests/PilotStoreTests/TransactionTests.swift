import Foundation
import PilotJSON
import PilotStore
import Testing

@Suite struct TransactionTests {
    struct HandlerFailed: Error {}

    @Test func aThrowingBodyLeavesNothingBehind() throws {
        try withTemporaryFolder { folder in
            let store = try SQLitePilotStore(path: folder + "/pilot.db", maximumIdleConnections: 1)
            #expect(throws: HandlerFailed.self) {
                try store.write { tx in
                    try tx.savePilot(samplePilot("acme"))
                    try tx.recordHandled(InboxEntry(eventID: "e1", threadID: "acme"))
                    try tx.enqueue([sampleMessage("m1")])
                    try tx.recordDocument(DocumentEntry(threadID: "acme", path: "threads/sales/acme/a.md"))
                    throw HandlerFailed()
                }
            }
            try store.read { reader throws in
                #expect(try reader.pilot("acme") == nil)
                #expect(try !reader.isHandled(eventID: "e1"))
                #expect(try reader.pendingOutbox(limit: 10).isEmpty)
                #expect(try reader.documents(threadID: "acme").isEmpty)
            }
            // The connection went back to the pool usable, outside any transaction.
            try store.write { try $0.savePilot(samplePilot("acme")) }
            #expect(try store.read { try $0.pilot("acme")?.version } == 1)
        }
    }

    @Test(arguments: Backend.all) func manyEventsInOneTransaction(backend: Backend) throws {
        try withStore(backend) { store in
            try store.write { tx in
                for index in 0..<100 {
                    try tx.recordHandled(InboxEntry(eventID: "e\(index)", threadID: "p\(index % 10)"))
                    let pilot = try tx.pilot("p\(index % 10)") ?? samplePilot("p\(index % 10)")
                    var next = pilot
                    next.state = ["n": .int((pilot.state["n"]?.integer ?? 0) + 1)]
                    try tx.savePilot(next)
                    try tx.enqueue([sampleMessage("m\(index)-a"), sampleMessage("m\(index)-b")])
                }
            }
            try store.read { reader throws in
                #expect(try reader.pilots(limit: 100).count == 10)
                #expect(try reader.pilot("p3")?.state["n"] == 10)
                #expect(try reader.pilot("p3")?.version == 10)
                #expect(try reader.pendingOutbox(limit: 1000).count == 200)
            }
        }
    }

    @Test(arguments: Backend.all) func monitoringDataIsReplacedAppendedAndDeduplicated(backend: Backend) throws {
        try withStore(backend) { store in
            try store.write { tx in
                try tx.savePilot(samplePilot("acme"))
                try tx.upsertMetrics(MetricsEntry(threadID: "acme", day: 2, data: ["uptime_pct": 99.1], eventID: "m2"))
                try tx.upsertMetrics(MetricsEntry(threadID: "acme", day: 1, data: ["uptime_pct": 97], eventID: "m1"))
                try tx.upsertMetrics(MetricsEntry(threadID: "acme", day: 2, data: ["uptime_pct": 99.9], eventID: "m2b"))

                let open = IssueEntry(threadID: "acme", issueID: "I-1", data: ["status": "open"], updatedAt: "t1")
                try tx.upsertIssue(open, history: IssueHistoryEntry(
                    threadID: "acme", issueID: "I-1", eventID: "i1", status: "open", at: "t1"))
                var resolved = open
                resolved.data = ["status": "resolved"]
                resolved.updatedAt = "t2"
                let history = IssueHistoryEntry(
                    threadID: "acme", issueID: "I-1", eventID: "i2", status: "resolved", at: "t2")
                try tx.upsertIssue(resolved, history: history)
                try tx.upsertIssue(resolved, history: history)  // same event again: one history row

                #expect(try tx.addFeedback(FeedbackEntry(threadID: "acme", eventID: "f1", data: ["score": 9])))
                #expect(try !tx.addFeedback(FeedbackEntry(threadID: "acme", eventID: "f1", data: ["score": 9])))

                try tx.recordDocument(DocumentEntry(threadID: "acme", path: "b.md", size: 1))
                try tx.recordDocument(DocumentEntry(threadID: "acme", path: "a.md", sha256: "00", size: 2))
                try tx.recordDocument(DocumentEntry(threadID: "acme", path: "b.md", sha256: "ff", size: 3))
            }
            try store.read { reader throws in
                let metrics = try reader.metrics(threadID: "acme")
                #expect(metrics.map(\.day) == [1, 2])
                #expect(metrics[1].data == ["uptime_pct": 99.9] && metrics[1].eventID == "m2b")
                #expect(try reader.issues(threadID: "acme").map(\.data) == [["status": "resolved"]])
                #expect(try reader.issueHistory(threadID: "acme").map(\.status) == ["open", "resolved"])
                #expect(try reader.feedback(threadID: "acme").count == 1)
                let documents = try reader.documents(threadID: "acme")
                #expect(documents.map(\.path) == ["a.md", "b.md"])
                #expect(documents[1].sha256 == "ff" && documents[1].size == 3)
            }
        }
    }

    @Test func monitoringDataNeedsItsPilot() throws {
        try withTemporaryFolder { folder in
            let store = try SQLitePilotStore(path: folder + "/pilot.db")
            // Foreign keys are checked at COMMIT, so the order inside a transaction is free…
            try store.write { tx in
                try tx.upsertMetrics(MetricsEntry(threadID: "acme", day: 1, data: [:]))
                try tx.savePilot(samplePilot("acme"))
            }
            // …but a pilot must exist by then.
            let error = #expect(throws: SQLiteError.self) {
                try store.write { try $0.upsertMetrics(MetricsEntry(threadID: "ghost", day: 1, data: [:])) }
            }
            #expect(error?.isConstraint == true)
            #expect(error?.operation == "sqlite3_exec" && error?.sql == "COMMIT")
            #expect(try store.read { try $0.metrics(threadID: "ghost") }.isEmpty)
        }
    }
}

@Suite struct MisuseTests {
    @Test func aWriteInsideAWriteStopsInsteadOfDeadlocking() async throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("pilot-store-tests-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        await #expect(processExitsWith: .failure) { [folder = folder as String] in
            let store = try! SQLitePilotStore(path: folder + "/pilot.db")
            // `try?`: only the precondition, not a thrown error, may end the process.
            _ = try? store.write { _ in try store.write { _ in } }
        }
    }
}
