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

    /// Runs `deliveries` through plan and commit. `markSent` are outbox rows whose
    /// confirms have arrived since the last commit, marked in the same transaction.
    /// - Throws: `EffectFailure` when the store or the documents fail; nothing of the
    ///   batch is then committed, and it must be redelivered.
    func run(_ deliveries: [AMQPDelivery], markSent: [String]) throws(EffectFailure) -> BatchOutcome {
        var settled = [DeliveryProcessor.Result?](repeating: nil, count: deliveries.count)
        var incoming: [Int: DeliveryProcessor.Incoming] = [:]
        var threads: [String: [Int]] = [:]
        for (index, delivery) in deliveries.enumerated() {
            switch processor.inspect(delivery, logger: logger) {
            case .done(let result): settled[index] = result
            case .ready(let ready):
                incoming[index] = ready
                threads[ready.event.subject, default: []].append(index)
            }
        }

        var plans: [String: ThreadPlan] = [:]
        var toPlan = Array(threads.keys)
        var attempt = 0
        while true {
            attempt += 1
            do {
                for plan in try planned(toPlan, threads: threads, incoming: incoming) { plans[plan.thread] = plan }
                if failpoint == .pauseInHandler, let first = plans.values.lazy.flatMap(\.handled).first {
                    logger.critical("failpoint pause-in-handler reached", metadata: [
                        "event_id": .string(first.incoming.delivery.properties.messageID ?? ""),
                    ])
                    while true { sleep(1) }  // until killed: nothing committed, nothing acked
                }
                // In thread order: two batches that save the same pilots lock their rows in
                // the same order, so a server database never has to break a deadlock.
                try commit(plans.values.sorted { $0.thread < $1.thread }, markSent: markSent)
                break
            } catch let conflict as CommitConflict where attempt < Self.maximumPlans {
                logger.debug("pilots changed since their snapshot; planning them again", metadata: [
                    "threads": .string(conflict.threads.joined(separator: ",")), "attempt": .stringConvertible(attempt),
                ])
                for thread in conflict.threads { plans[thread]?.discardDocuments() }
                toPlan = conflict.threads
            } catch {
                for plan in plans.values { plan.discardDocuments() }
                if let failure = error as? EffectFailure { throw failure }
                throw EffectFailure(operation: "commit the batch", underlying: error)
            }
        }

        var outcome = BatchOutcome()
        for plan in plans.values {
            for (index, result) in plan.results { settled[index] = result }
        }
        for (index, result) in settled.enumerated() {
            guard let result else { preconditionFailure("delivery \(index) of the batch was neither settled nor planned") }
            outcome.publications += result.publications
            outcome.outbox += result.outbox
            let started = incoming[index]?.started ?? .now
            outcome.verdicts.append((result.verdict, ContinuousClock.now - started))
        }
        return outcome
    }

    /// Plans the deliveries of `threadIDs` on fresh snapshots, read in one transaction.
    private func planned(
        _ threadIDs: [String], threads: [String: [Int]], incoming: [Int: DeliveryProcessor.Incoming]
    ) throws(EffectFailure) -> [ThreadPlan] {
        var needs: [String: SnapshotNeeds] = [:]
        var eventIDs: [String] = []
        for thread in threadIDs {
            var union = SnapshotNeeds()
            for index in threads[thread] ?? [] {
                guard let ready = incoming[index] else { continue }
                eventIDs.append(ready.event.id)
                union.monitoring = union.monitoring || ready.route.needs.monitoring
                union.templates = union.templates || ready.route.needs.templates
                union.documents += ready.route.needs.documents.filter { !union.documents.contains($0) }
            }
            needs[thread] = union
        }
        let loaded = try EffectFailure.wrap("load the snapshots") {
            try effects.store.read { reader in try SnapshotLoad(reader, threads: needs, eventIDs: eventIDs) }
        }
        let templates = try EffectFailure.wrap("read the templates") {
            try needs.values.contains { $0.templates } ? effects.documents.templates() : PilotSnapshot.Templates()
        }

        var plans: [ThreadPlan] = []
        var staged: [any StagedDocument] = []
        do {
            for thread in threadIDs {
                var snapshot = loaded.snapshots[thread] ?? PilotSnapshot()
                snapshot.templates = templates
                for name in needs[thread]?.documents ?? [] {
                    snapshot.documents[name] = try effects.documents.read(Document.threadsFolder + "/\(thread)/\(name)")
                }
                var plan = ThreadPlan(thread: thread, base: snapshot.pilot)
                var seen = loaded.handled
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
                        for document in outcome.documents {
                            let file = try effects.documents.stage(document)
                            staged.append(file)
                            plan.staged.append(file)
                        }
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
            // The documents' contents reach the disk before any of them is renamed into
            // place, so no renamed file can be empty after a power loss.
            if !staged.isEmpty { try effects.documents.flush() }
        } catch {
            for file in staged { file.discard() }
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
