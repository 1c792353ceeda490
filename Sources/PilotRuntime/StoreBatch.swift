import Foundation
import Logging
import PilotAMQP
import PilotJSON
import PilotStageAPI
import PilotStore

/// A batch of deliveries with exactly-once effects, in three parts:
///
/// 1. **Plan**, outside any lock, so the consumers of every process on the host work in
///    parallel: inspect each delivery, load the snapshots of the batch's pilots in one
///    store read, run the handlers (the events of one pilot in delivery order, each seeing
///    what the one before it did), and write their documents to temporary files, flushed
///    with one `syncfs`.
/// 2. **Commit**, one short write transaction: the inbox rows, an optimistic check of each
///    pilot's `version` (every handled event saves its pilot, so two plans of one pilot
///    can never both commit), the new state, monitoring rows, outbox rows, then the
///    documents renamed into place and flushed before `COMMIT`. A pilot that changed
///    since its snapshot was read is planned again, a bounded number of times.
/// 3. **Move**, in `StageConsumer`: publish, wait for the confirms, ack.
struct StoreBatch {
    let processor: DeliveryProcessor
    let effects: Effects
    let logger: Logger
    /// A fault to inject, for crash tests only.
    var failpoint: Failpoint?
    /// Plans of one pilot tried before the batch is given back to the broker.
    static let maximumPlans = 8

    /// Runs `deliveries` through plan and commit, one after the other. `markSent` are
    /// outbox rows whose confirms have arrived since the last commit, marked in the same
    /// transaction.
    /// - Throws: `EffectFailure` when the store or the documents fail; nothing of the
    ///   batch is then committed, and it must be redelivered.
    func run(_ deliveries: [AMQPDelivery], markSent: [String]) throws(EffectFailure) -> BatchOutcome {
        var batch = try plan(deliveries)
        if let failure = settle(&batch, from: commit(batch, markSent: markSent), markSent: markSent) { throw failure }
        return batch.outcome()
    }

    /// Plans again and commits again while a commit names pilots changed since their
    /// snapshots, starting from `result`, the batch's first commit. Returns the failure
    /// when nothing of the batch was committed. `replanned` hears how many pilots each
    /// round planned again.
    func settle(
        _ batch: inout Planned, from result: CommitResult, markSent: [String], replanned: (Int) -> Void = { _ in }
    ) -> EffectFailure? {
        var result = result
        while true {
            switch result {
            case .committed: return nil
            case .failed(let failure): return failure
            case .conflict(let threads):
                replanned(threads.count)
                do {
                    try replan(&batch, threads: threads)
                } catch {
                    return error
                }
                result = commit(batch, markSent: markSent)
            }
        }
    }

    /// Inspects the deliveries and plans their pilots. With `pending`, a batch planned
    /// before and still committing, the pilots that batch saves wait (`deferred`) for
    /// `planDeferred` once it has committed.
    ///
    /// Planning them on what the pending batch would leave them was tried and measured
    /// slower: in a burst of one pilot's events spread over the workers, the pending plan
    /// often loses its version check to another worker, and every plan built on it then
    /// loses too.
    func plan(_ deliveries: [AMQPDelivery], after pending: Planned? = nil) throws(EffectFailure) -> Planned {
        var batch = Planned(count: deliveries.count, documents: effects.documents)
        for (index, delivery) in deliveries.enumerated() {
            switch processor.inspect(delivery, logger: logger) {
            case .done(let result): batch.settled[index] = result
            case .ready(let ready):
                batch.incoming[index] = ready
                batch.threads[ready.event.subject, default: []].append(index)
            }
        }
        var now: [String] = []
        // In the order of their first deliveries, so which of two deliveries of one event id
        // under two pilots is handled does not depend on a dictionary's order.
        for thread in batch.threads.keys.sorted(by: { batch.threads[$0]![0] < batch.threads[$1]![0] }) {
            if let plan = pending?.plans[thread], !plan.handled.isEmpty {
                batch.deferred.append(thread)
            } else {
                now.append(thread)
            }
        }
        try plan(&batch, threads: now)
        return batch
    }

    /// Plans the pilots `plan(_:after:)` left for later, once the batch that held
    /// them has committed.
    func planDeferred(_ batch: inout Planned) throws(EffectFailure) {
        let threads = batch.deferred
        batch.deferred = []
        try plan(&batch, threads: threads)
    }

    /// Plans `threads` again on fresh snapshots, after a commit named them as changed
    /// since theirs were read; throws once they were planned `maximumPlans` times.
    func replan(_ batch: inout Planned, threads: [String]) throws(EffectFailure) {
        batch.attempts += 1
        guard batch.attempts <= Self.maximumPlans else {
            batch.discardDocuments()
            throw EffectFailure(operation: "commit the batch", underlying: CommitConflict(threads: threads))
        }
        logger.debug("pilots changed since their snapshot; planning them again", metadata: [
            "threads": .string(threads.joined(separator: ",")), "attempt": .stringConvertible(batch.attempts),
        ])
        batch.discardDocuments(of: threads)
        try plan(&batch, threads: threads)
    }

    private func plan(_ batch: inout Planned, threads: [String]) throws(EffectFailure) {
        guard !threads.isEmpty else { return }
        do {
            for plan in try planned(threads, of: batch) { batch.plans[plan.thread] = plan }
        } catch {
            batch.discardDocuments()
            throw error
        }
        if failpoint == .pauseInHandler, let first = batch.plans.values.lazy.flatMap(\.handled).first {
            logger.critical("failpoint pause-in-handler reached", metadata: [
                "event_id": .string(first.incoming.delivery.properties.messageID ?? ""),
            ])
            while true { sleep(1) }  // until killed: nothing committed, nothing acked
        }
    }

    /// What a commit came to.
    enum CommitResult: Sendable {
        case committed
        /// Pilots saved by someone else since their snapshots: plan them again, then commit.
        case conflict([String])
        /// Nothing of the batch is committed, and its staged documents are gone.
        case failed(EffectFailure)
    }

    /// Flushes the batch's documents and commits every plan in one write transaction.
    /// Touches no handler, so it may run on a thread of its own while the consumer plans
    /// the next batch.
    func commit(_ batch: Planned, markSent: [String]) -> CommitResult {
        precondition(batch.deferred.isEmpty, "a batch is committed only once all of its pilots are planned")
        do {
            // The documents' contents reach the disk before any of them is renamed into
            // place, so no renamed file can be empty after a power loss.
            if batch.plans.values.contains(where: { !$0.staged.isEmpty }) {
                try EffectFailure.wrap("write the documents") { try effects.documents.flush() }
            }
            // In thread order: two batches that save the same pilots lock their rows in
            // the same order, so a server database never has to break a deadlock.
            try commit(batch.plans.values.sorted { $0.thread < $1.thread }, markSent: markSent)
            effects.documents.release(batch.plans.values.flatMap(\.staged))
            return .committed
        } catch let conflict as CommitConflict {
            return .conflict(conflict.threads)
        } catch {
            batch.discardDocuments()
            if let failure = error as? EffectFailure { return .failed(failure) }
            return .failed(EffectFailure(operation: "commit the batch", underlying: error))
        }
    }

    /// Plans the deliveries of `threadIDs` on fresh snapshots, read in one transaction.
    private func planned(_ threadIDs: [String], of batch: Planned) throws(EffectFailure) -> [ThreadPlan] {
        let threads = batch.threads
        let incoming = batch.incoming
        var needs: [String: SnapshotNeeds] = [:]
        var eventIDs: [String] = []
        for thread in threadIDs {
            for index in threads[thread] ?? [] {
                if let ready = incoming[index] { eventIDs.append(ready.event.id) }
            }
            needs[thread] = batch.needs(of: thread)
        }
        let loaded = try EffectFailure.wrap("load the snapshots") {
            try effects.store.read { reader in try SnapshotLoad(reader, threads: needs, eventIDs: eventIDs) }
        }
        let templates = try EffectFailure.wrap("read the templates") {
            try needs.values.contains { $0.templates } ? effects.documents.templates() : PilotSnapshot.Templates()
        }

        var plans: [ThreadPlan] = []
        // Staged together once every pilot is planned, so a store can write them side by side.
        var documents: [Document] = []
        var owners: [Int] = []
        // An event id is handled once in a batch whatever pilot its deliveries name: the inbox
        // keys on the id alone, so a second plan of it would fail every commit of the batch.
        var seen = loaded.handled
        let planning = Set(threadIDs)
        for (thread, plan) in batch.plans where !planning.contains(thread) {
            seen.formUnion(plan.handled.map(\.incoming.event.id))
        }
        do {
            for thread in threadIDs {
                var snapshot = loaded.snapshots[thread] ?? PilotSnapshot()
                snapshot.templates = templates
                for name in needs[thread]?.documents ?? [] {
                    snapshot.documents[name] = try effects.documents.read(Document.threadsFolder + "/\(thread)/\(name)")
                }
                var plan = ThreadPlan(thread: thread, base: snapshot.pilot)
                for index in threads[thread] ?? [] {
                    guard let ready = incoming[index] else { continue }
                    guard !seen.contains(ready.event.id) else {
                        plan.results[index] = processor.duplicate(ready)
                        continue
                    }
                    switch processor.run(ready, snapshot: snapshot) {
                    case .done(let result):
                        plan.results[index] = result
                    case .handled(let outcome, let publications):
                        seen.insert(ready.event.id)
                        snapshot.apply(outcome, thread: thread)
                        documents += outcome.documents
                        owners += repeatElement(plans.count, count: outcome.documents.count)
                        plan.handled.append(HandledEvent(
                            incoming: ready, outcome: outcome, publications: publications,
                            elapsed: ContinuousClock.now - ready.started))
                        plan.results[index] = DeliveryProcessor.Result(
                            verdict: .handled(events: publications.count), publications: publications,
                            outbox: publications.compactMap(\.properties.messageID))
                        ready.log.debug("handled", [
                            "published": .stringConvertible(publications.count), "attempt": .stringConvertible(ready.attempt),
                            "documents": .stringConvertible(outcome.documents.count),
                        ])
                    }
                }
                plan.final = snapshot.pilot
                plans.append(plan)
            }
            for (owner, file) in zip(owners, try effects.documents.stage(documents)) { plans[owner].staged.append(file) }
        } catch {
            throw EffectFailure(operation: "read or write the documents", underlying: error)
        }
        return plans
    }

    /// Commits every plan in one write transaction, or throws `CommitConflict` naming the
    /// pilots that changed since their snapshots (nothing is then committed).
    private func commit(_ plans: [ThreadPlan], markSent: [String]) throws {
        // Duplicates, retries and dead letters only: nothing to write.
        guard !markSent.isEmpty || plans.contains(where: { !$0.handled.isEmpty }) else { return }
        let now = processor.clock.timestamp()
        let worker = effects.worker
        let stage = processor.stage.name
        try effects.store.write { transaction in
            var conflicts: [String] = []
            for plan in plans where !plan.handled.isEmpty {
                if try !plan.claim(in: transaction, worker: worker, stage: stage, at: now) { conflicts.append(plan.thread) }
            }
            if !conflicts.isEmpty { throw CommitConflict(threads: conflicts) }
            for plan in plans { try plan.write(in: transaction, at: now) }
            if !markSent.isEmpty { try transaction.markSent(eventIDs: markSent, at: now) }
            // Last, so a failed rename rolls the transaction back with it.
            try effects.documents.install(plans.flatMap(\.staged))
        }
    }
}

extension StoreBatch {
    /// A batch of deliveries between plan and commit.
    struct Planned: Sendable {
        /// Deliveries settled without a handler (dead letters, retries, duplicates seen at inspection).
        var settled: [DeliveryProcessor.Result?]
        var incoming: [Int: DeliveryProcessor.Incoming] = [:]
        /// Each pilot's deliveries, by their positions in the batch.
        var threads: [String: [Int]] = [:]
        var plans: [String: ThreadPlan] = [:]
        /// Pilots not planned yet (`planDeferred`).
        var deferred: [String] = []
        /// How many times a pilot of the batch has been planned.
        var attempts = 1

        /// Where the plans' documents are staged, to take them back.
        let documents: any DocumentStore

        init(count: Int, documents: any DocumentStore) {
            settled = Array(repeating: nil, count: count)
            self.documents = documents
        }

        /// What the handlers of `thread`'s deliveries need besides the pilot's record.
        func needs(of thread: String) -> SnapshotNeeds {
            var union = SnapshotNeeds()
            for index in threads[thread] ?? [] {
                guard let ready = incoming[index] else { continue }
                union.monitoring = union.monitoring || ready.route.needs.monitoring
                union.templates = union.templates || ready.route.needs.templates
                union.documents += ready.route.needs.documents.filter { !union.documents.contains($0) }
            }
            return union
        }

        /// Takes back the documents every plan staged, or only `threads`'.
        func discardDocuments(of threads: [String]? = nil) {
            let discarded = threads.map { $0.compactMap { plans[$0] } } ?? Array(plans.values)
            documents.discard(discarded.flatMap(\.staged))
        }

        /// The publications, outbox rows and verdicts of a committed batch, in delivery order.
        func outcome() -> BatchOutcome {
            var settled = self.settled
            for plan in plans.values {
                for (index, result) in plan.results { settled[index] = result }
            }
            var outcome = BatchOutcome()
            for (index, result) in settled.enumerated() {
                guard let result else { preconditionFailure("delivery \(index) of the batch was neither settled nor planned") }
                outcome.publications += result.publications
                outcome.outbox += result.outbox
                let started = incoming[index]?.started ?? .now
                outcome.verdicts.append((result.verdict, ContinuousClock.now - started))
            }
            return outcome
        }
    }
}

/// What one batch's plan and commit produce, for the move.
struct BatchOutcome {
    var publications: [Publication] = []
    var outbox: [String] = []
    /// Recorded in the metrics only once the batch is committed.
    var verdicts: [(DeliveryProcessor.Verdict, Duration)] = []
}

/// Pilots saved by someone else since their snapshots were read.
struct CommitConflict: Error, CustomStringConvertible {
    var threads: [String]
    var description: String { "pilots changed while their events were planned: \(threads.joined(separator: ", "))" }
}

/// The store failed while applying a batch; nothing of the batch is committed.
public struct EffectFailure: Error, CustomStringConvertible {
    public var operation: String
    public var underlying: any Error

    public var description: String { "could not \(operation): \(underlying)" }

    static func wrap<T>(_ operation: String, _ body: () throws -> T) throws(EffectFailure) -> T {
        do {
            return try body()
        } catch {
            throw EffectFailure(operation: operation, underlying: error)
        }
    }
}
