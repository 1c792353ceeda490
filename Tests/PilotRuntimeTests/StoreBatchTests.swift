import Foundation
import Logging
import PilotAMQP
import PilotJSON
import PilotStageAPI
import PilotStore
import Synchronization
import Testing

@testable import PilotRuntime

/// Plan, commit and re-plan against a real SQLite store and workspace, without a broker:
/// a counting stage whose every event adds one to its pilot's state.
@Suite struct StoreBatchTests {
    let stage = Stage.all[0]
    let thread = "acme-1"

    /// Adds one to the pilot's `count`, writes it to `count.txt`, publishes one event.
    var counting: StageDefinition {
        let count: @Sendable (CloudEvent, PilotSnapshot, StageContext) throws -> StageOutcome = { event, snapshot, context in
            let count = (snapshot.pilot?.state["count"]?.integer ?? 0) + 1
            return StageOutcome(
                events: [context.derived("pilot.echoed", from: event, data: ["count": .int(count)])],
                documents: [Document(path: "threads/sales/\(event.subject)/count.txt", text: "\(count)")],
                pilot: PilotUpdate(stage: context.stage, status: "active", state: ["count": .int(count)]))
        }
        // Stores the response and leaves the pilot as it is, as the monitoring stage does.
        let feedback: @Sendable (CloudEvent, PilotSnapshot, StageContext) throws -> StageOutcome = { event, _, _ in
            StageOutcome(records: [.feedback(data: event.data, submittedAt: event.time)])
        }
        return StageDefinition(stage.name) { definition in
            definition.on("pilot.requested", raw: count)
            definition.on("pilot.feedback", raw: feedback)
        }
    }

    func delivery(_ id: String, tag: UInt64 = 1, thread: String? = nil, type: String = "pilot.requested") -> AMQPDelivery {
        let event = CloudEvent(
            id: id, source: "/t", type: type, subject: thread ?? self.thread, time: "2026-11-25T09:00:00Z", causationID: nil,
            data: [:])
        return AMQPDelivery(
            deliveryTag: tag, redelivered: false, exchange: "pilot.events", routingKey: type,
            properties: AMQPProperties(contentType: "application/cloudevents+json", messageID: id), body: event.document.serializedBytes())
    }

    /// A store, a workspace and a batch runner in a fresh folder, removed afterwards.
    func withBatch(interfere: Int = 0, _ body: (StoreBatch, Interfering, URL) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("store-batch-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let sqlite = try SQLitePilotStore(path: folder.appendingPathComponent(".pilot/pilot.db").path)
        let store = Interfering(inner: sqlite, thread: thread, times: interfere)
        let effects = Effects(store: store, documents: Workspace(root: folder, syncFiles: false), worker: "test:1")
        let batch = StoreBatch(
            processor: DeliveryProcessor(stage: stage, definition: counting), effects: effects, logger: Logger(label: "test"))
        try body(batch, store, folder)
    }

    @Test func eventsOfOnePilotInABatchSeeEachOther() throws {
        try withBatch { batch, store, folder in
            let outcome = try batch.run([delivery("e1", tag: 1), delivery("e2", tag: 2), delivery("e1", tag: 3)], markSent: [])
            #expect(outcome.verdicts.map(\.0) == [.handled(events: 1), .handled(events: 1), .duplicate])
            let pilot = try #require(try store.read { try $0.pilot(thread) })
            #expect(pilot.state["count"] == 2)
            #expect(pilot.version == 1)
            #expect(try String(contentsOf: folder.appendingPathComponent("threads/sales/\(thread)/count.txt"), encoding: .utf8) == "2")
            #expect(try store.read { try $0.pendingOutboxCount() } == 2)
            #expect(outcome.outbox.count == 2)

            let again = try batch.run([delivery("e2")], markSent: outcome.outbox)
            #expect(again.verdicts.map(\.0) == [.duplicate])
            #expect(try store.read { try $0.pendingOutboxCount() } == 0)
        }
    }

    /// The inbox keys on the event id alone: one id under two pilots in one batch (an
    /// upstream resending with a corrected subject) is handled once, the first time, and
    /// does not fail the batch's commit again and again.
    @Test func oneEventIDUnderTwoPilotsInABatchIsHandledOnce() throws {
        try withBatch { batch, store, _ in
            let outcome = try batch.run(
                [delivery("e1", tag: 1, thread: "beta-2"), delivery("e2", tag: 2), delivery("e1", tag: 3), delivery("e1", tag: 4, thread: "gamma-3")],
                markSent: [])
            #expect(outcome.verdicts.map(\.0) == [.handled(events: 1), .handled(events: 1), .duplicate, .duplicate])
            #expect(try store.read { try $0.pilot("beta-2") }?.state["count"] == 1)
            #expect(try store.read { try $0.pilot(thread) }?.state["count"] == 1)
            #expect(try store.read { try $0.pilot("gamma-3") } == nil)
        }
    }

    @Test func aPilotSavedByAnotherWorkerMeanwhileIsPlannedAgain() throws {
        try withBatch(interfere: 1) { batch, store, folder in
            let outcome = try batch.run([delivery("e1")], markSent: [])
            #expect(outcome.verdicts.map(\.0) == [.handled(events: 1)])
            #expect(store.interferences == 1)
            // The other worker set 10; the second plan saw it and added one.
            let pilot = try #require(try store.read { try $0.pilot(thread) })
            #expect(pilot.state["count"] == 11)
            #expect(try String(contentsOf: folder.appendingPathComponent("threads/sales/\(thread)/count.txt"), encoding: .utf8) == "11")
            #expect(outcome.publications.first.map { String(decoding: $0.body, as: UTF8.self).contains("\"count\":11") } == true)
            #expect(try store.read { try $0.handledEvents(threadID: thread).count } == 1)
            #expect(try store.read { try $0.pendingOutboxCount() } == 1)
        }
    }

    /// Almost half of a pilot's events (its metrics, feedback and issues) leave its record
    /// as it is: the commit moves only its version, and still conflicts with another
    /// worker's save.
    @Test func anEventThatLeavesThePilotAsItIsMovesOnlyItsVersion() throws {
        try withBatch { batch, store, _ in
            _ = try batch.run([delivery("e1")], markSent: [])
            let before = try #require(try store.read { try $0.pilot(thread) })
            let outcome = try batch.run([delivery("f1", type: "pilot.feedback"), delivery("f2", tag: 2, type: "pilot.feedback")], markSent: [])
            #expect(outcome.verdicts.map(\.0) == [.handled(events: 0), .handled(events: 0)])
            let after = try #require(try store.read { try $0.pilot(thread) })
            #expect(after.version == before.version + 1)
            #expect([after.stage, after.status, after.createdAt, after.updatedAt] == [before.stage, before.status, before.createdAt, before.updatedAt])
            #expect(after.state == before.state)
            #expect(try store.read { try $0.feedback(threadID: thread).map(\.eventID) } == ["f1", "f2"])
        }
        try withBatch { batch, store, _ in
            _ = try batch.run([delivery("e1")], markSent: [])
            let planned = try batch.plan([delivery("f1", type: "pilot.feedback")])
            // Another worker saves the pilot between the feedback's plan and its commit.
            try store.inner.write { transaction in
                try transaction.savePilot(PilotRecord(
                    threadID: thread, stage: "agreement", status: "active", state: ["count": 10], version: 1,
                    updatedAt: "2026-11-25T09:00:00Z"))
            }
            guard case .conflict(let threads) = batch.commit(planned, markSent: []) else {
                Issue.record("an unchanged pilot's save did not see the other worker's")
                return
            }
            #expect(threads == [thread])
            #expect(try store.read { try $0.feedback(threadID: thread) }.isEmpty)
            #expect(try store.read { try $0.pilot(thread)?.state["count"] } == 10)
        }
    }

    @Test func aPilotThatKeepsChangingGivesTheBatchBackAndLeavesNoFiles() throws {
        try withBatch(interfere: 100) { batch, store, folder in
            #expect(throws: EffectFailure.self) { try batch.run([delivery("e1")], markSent: []) }
            #expect(store.interferences == StoreBatch.maximumPlans)
            #expect(try store.read { try $0.handledEvents(threadID: thread).count } == 0)
            let files = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("threads/sales/\(thread)").path)
            #expect(files.isEmpty, "left behind: \(files)")
        }
    }
}

extension StoreBatchTests {
    /// The pilot's count as saved, or false when there is no pilot.
    func hasCount(_ thread: String, _ expected: Int, in store: Interfering) throws -> Bool {
        guard let pilot = try store.read({ try $0.pilot(thread) }) else { return false }
        return pilot.state["count"] == .int(Int64(expected))
    }

    /// The consumer plans a batch while the one before commits: a pilot that batch
    /// saves waits for the commit, and the others go ahead on their snapshots.
    @Test func aPilotOfTheBatchUnderCommitIsPlannedOnceThatCommitted() throws {
        try withBatch { batch, store, folder in
            let first = try batch.plan([delivery("e1", tag: 1), delivery("e2", tag: 2, thread: "acme-2")])
            var second = try batch.plan(
                [delivery("e3", tag: 3), delivery("e1", tag: 4), delivery("e4", tag: 5, thread: "acme-3")], after: first)
            #expect(second.deferred == [thread])
            #expect(Set(second.plans.keys) == ["acme-3"])
            guard case .committed = batch.commit(first, markSent: []) else { Issue.record("the first batch did not commit"); return }
            try batch.planDeferred(&second)
            guard case .committed = batch.commit(second, markSent: []) else { Issue.record("the second batch did not commit"); return }
            // e1 again: a copy of an event the batch before handled, in the inbox by the time it is planned.
            #expect(second.outcome().verdicts.map(\.0) == [.handled(events: 1), .duplicate, .handled(events: 1)])
            #expect(try hasCount(thread, 2, in: store))
            #expect(try hasCount("acme-2", 1, in: store))
            #expect(try hasCount("acme-3", 1, in: store))
            #expect(try String(contentsOf: folder.appendingPathComponent("threads/sales/\(thread)/count.txt"), encoding: .utf8) == "2")
        }
    }

    /// Planned on a snapshot older than a commit of the same pilot, a batch does not
    /// commit: it names the pilot, and planned again it counts from the newer state.
    @Test func aPilotPlannedBeforeTheCommitBeforeItConflictsAndIsPlannedAgain() throws {
        try withBatch { batch, store, folder in
            let first = try batch.plan([delivery("e1", tag: 1)])
            var second = try batch.plan([delivery("e2", tag: 2)])
            guard case .committed = batch.commit(first, markSent: []) else { Issue.record("the first batch did not commit"); return }
            guard case .conflict(let threads) = batch.commit(second, markSent: []) else {
                Issue.record("a stale plan committed")
                return
            }
            #expect(threads == [thread])
            #expect(try hasCount(thread, 1, in: store))
            try batch.replan(&second, threads: threads)
            guard case .committed = batch.commit(second, markSent: []) else { Issue.record("the second plan did not commit"); return }
            #expect(try hasCount(thread, 2, in: store))
            let files = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("threads/sales/\(thread)").path)
            #expect(files == ["count.txt"], "left behind: \(files)")
        }
    }
}

/// A real store that, before each of its first `times` write transactions, lets "another
/// worker" save the pilot first (setting its count to 10), as a competing consumer would.
final class Interfering: PilotStore, Sendable {
    let inner: SQLitePilotStore
    let thread: String
    private let remaining: Mutex<Int>
    private let done = Mutex(0)
    var interferences: Int { done.withLock { $0 } }

    init(inner: SQLitePilotStore, thread: String, times: Int) {
        self.inner = inner
        self.thread = thread
        self.remaining = Mutex(times)
    }

    func write<T>(_ body: (any PilotStoreTransaction) throws -> T) throws -> T {
        if remaining.withLock({ left in left > 0 ? { left -= 1; return true }() : false }) {
            try inner.write { transaction in
                let current = try transaction.pilot(thread)
                try transaction.savePilot(PilotRecord(
                    threadID: thread, stage: "agreement", status: "active", state: ["count": 10], version: current?.version ?? 0,
                    updatedAt: "2026-11-25T09:00:00Z"))
            }
            done.withLock { $0 += 1 }
        }
        return try inner.write(body)
    }

    func read<T>(_ body: (any PilotStoreReader) throws -> T) throws -> T {
        try inner.read(body)
    }
}
