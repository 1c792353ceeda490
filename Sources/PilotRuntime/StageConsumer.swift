import Foundation
import Logging
import PilotAMQP
import PilotStore

/// One consumer of one stage queue, on its own thread, with its own two connections:
/// one consumes, one publishes with confirms. Keeping them apart means a confirm
/// never interrupts a delivery read, and broker flow control on publishers never
/// stalls deliveries.
///
/// The loop takes the deliveries that are ready (a quarter of the prefetch at most),
/// runs each through the `DeliveryProcessor`, publishes all resulting messages and goes
/// on with the next batch while the broker confirms: batches wait in flight, in order,
/// and each is acked with one `multiple` ack as soon as every message published before
/// its end is confirmed. Nothing is acked before its effects are confirmed, and the
/// broker keeps delivering while we work. A failure anywhere drops both connections
/// without acking: the broker redelivers, and the derived event ids let the inbox
/// absorb what was already done.
final class StageConsumer: @unchecked Sendable {
    // @unchecked: the connections are created and used only on the consumer's own thread.
    let processor: DeliveryProcessor
    let configuration: WorkerConfiguration
    let stop: StopSignal
    let status: WorkerStatus
    let metrics: StageMetrics
    let logger: Logger
    /// Outbox rows whose confirms arrived, not yet marked sent. Only the consumer's thread uses it.
    private var confirmedOutbox: [String] = []
    /// With a store: plans on this thread, commits on the lane's.
    private var pipeline: Pipeline?
    private var storeBackoff = Backoff(initial: .milliseconds(500), cap: .seconds(30))

    struct Pipeline {
        let batchRun: StoreBatch
        let lane: CommitLane<StoreBatch.CommitResult>
    }

    /// A batch whose commit is under way on the lane.
    struct PendingCommit {
        var batch: StoreBatch.Planned
        var lastTag: UInt64
        var deliveries: Int
        var markSent: [String]
    }

    init(
        processor: DeliveryProcessor, configuration: WorkerConfiguration, stop: StopSignal, status: WorkerStatus,
        metrics: StageMetrics, logger: Logger
    ) {
        self.processor = processor
        self.configuration = configuration
        self.stop = stop
        self.status = status
        self.metrics = metrics
        var logger = logger
        logger[metadataKey: "stage"] = .string(processor.stage.name)
        self.logger = logger
    }

    /// Runs until the stop signal is set; never returns because of the broker.
    func run() {
        if let effects = configuration.effects, processor.stage.usesStore {
            let batchRun = StoreBatch(processor: processor, effects: effects, logger: logger, failpoint: configuration.failpoint)
            let lane = CommitLane<StoreBatch.CommitResult>(name: "commit:\(processor.stage.name)")
            pipeline = Pipeline(batchRun: batchRun, lane: lane)
        }
        defer { pipeline?.lane.close() }
        var pacing = ReconnectPacing(backoff: configuration.reconnectBackoff)
        var connectedBefore = false
        // With a cluster, a lost session moves on to the next node: the one it had may be the one that went down.
        var node = 0
        while !stop.isStopped {
            do {
                try session(from: &node, onConnected: {
                    pacing.connected()
                    if connectedBefore { metrics.reconnected() }
                    connectedBefore = true
                })
            } catch {
                let wait = pacing.lost()
                logger.warning("connection to the broker lost; reconnecting", metadata: [
                    "error": .string(error.description), "broker": .string(configuration.broker.urls[node].description),
                    "retry_in": .string("\(wait)"),
                ])
                node = (node + 1) % configuration.broker.urls.count
                stop.sleep(wait)
            }
        }
    }

    /// One connected period: connect, declare, consume until stopped or broken.
    private func session(from node: inout Int, onConnected: () -> Void) throws(AMQPError) {
        let stage = processor.stage
        var options = configuration.connection
        options.connectionName = "pilot-worker \(stage.name) consumer"
        let (consumer, consumerNode) = try configuration.broker.connect(options: options, from: node)
        node = consumerNode
        options.connectionName = "pilot-worker \(stage.name) publisher"
        // Both on one node, so one node's loss ends one session.
        let publisher = try AMQPConnection(url: configuration.broker.urls[node], options: options)
        try publisher.enableConfirms()
        try configuration.topology.declare(on: publisher)
        let prefetch = min(configuration.prefetch, stage.maxPrefetch ?? configuration.prefetch)
        try consumer.consume(queue: stage.queue, prefetch: prefetch)
        onConnected()
        status.consumerStarted()
        defer { status.consumerStopped() }
        logger.info("consuming", metadata: [
            "queue": .string(stage.queue), "prefetch": .stringConvertible(prefetch),
            "node": .string(configuration.broker.urls[node].description),
        ])

        let poll = Double(configuration.pollInterval.milliseconds) / 1000
        let confirmTimeout = Double(configuration.confirmTimeout.milliseconds) / 1000
        let limit = BatchLimit(prefetch: prefetch)
        var batch: [AMQPDelivery] = []
        batch.reserveCapacity(limit.count)
        var inflight = InFlight()
        var pending: PendingCommit?
        // A session that ends on an error still takes its commit back from the lane.
        defer { if let pending { abandon(pending) } }
        func finishPending() throws(AMQPError) {
            guard let previous = pending else { return }
            pending = nil
            if let failure = try finish(previous, publisher: publisher, inflight: &inflight) {
                try giveBack(upTo: previous.lastTag, previous.deliveries, failure, consumer: consumer, publisher: publisher, inflight: &inflight)
            }
        }
        while !stop.isStopped {
            try settle(&inflight, consumer: consumer, publisher: publisher)
            if let oldest = inflight.oldestSince, ContinuousClock.now - oldest > configuration.confirmTimeout {
                throw AMQPError(operation: "wait for publisher confirms", kind: .library(
                    status: -0x000D, message: "no confirm within \(configuration.confirmTimeout)"))
            }
            if pending != nil, pipeline?.lane.isDone == true { try finishPending() }
            // With batches in flight, a confirm matters as much as a delivery: wait for either.
            guard let first = try consumer.nextDelivery(timeout: inflight.isEmpty && pending == nil ? poll : 0) else {
                if pending != nil {
                    try finishPending()
                } else if inflight.isEmpty {
                    markConfirmedSent()
                    try publisher.serviceIdle()
                } else {
                    _ = AMQPConnection.awaitInput([consumer, publisher], timeout: poll)
                }
                continue
            }
            batch.removeAll(keepingCapacity: true)
            batch.append(first)
            var bytes = first.body.count
            while limit.takesMore(count: batch.count, bytes: bytes), let next = try consumer.nextDelivery(timeout: 0) {
                batch.append(next)
                bytes += next.body.count
            }
            let lastTag = batch[batch.count - 1].deliveryTag
            metrics.received(batch.count)
            if let pipeline {
                pending = try plan(
                    batch, lastTag: lastTag, after: &pending, pipeline: pipeline, consumer: consumer, publisher: publisher,
                    inflight: &inflight)
                continue
            }
            var outcome = BatchOutcome()
            for delivery in batch {
                let started = ContinuousClock.now
                let result = processor.process(delivery, logger: logger)
                outcome.publications += result.publications
                outcome.verdicts.append((result.verdict, ContinuousClock.now - started))
            }
            try move(outcome, lastTag: lastTag, deliveries: batch.count, publisher: publisher, inflight: &inflight)
        }
        // Stopping: the commit under way, then what is in flight, so the batches in hand are acked.
        try finishPending()
        if !inflight.isEmpty {
            try publisher.waitForConfirms(timeout: confirmTimeout)
            try settle(&inflight, consumer: consumer, publisher: publisher)
        }
        markConfirmedSent()
        logger.info("stopped consuming", metadata: ["queue": .string(stage.queue)])
        consumer.close()
        publisher.close()
    }

    /// Plans `batch` while the commit before it runs on the lane (pilots of both wait
    /// for that commit: `StoreBatch.plan`), then moves the commit before it and hands
    /// this one to the lane.
    /// Returns the new pending commit, or nil when the batch went back to the broker.
    private func plan(
        _ batch: [AMQPDelivery], lastTag: UInt64, after pending: inout PendingCommit?, pipeline: Pipeline,
        consumer: AMQPConnection, publisher: AMQPConnection, inflight: inout InFlight
    ) throws(AMQPError) -> PendingCommit? {
        var planned: StoreBatch.Planned?
        var failure: EffectFailure?
        do {
            planned = try pipeline.batchRun.plan(batch, after: pending?.batch)
        } catch {
            failure = error
        }
        var deliveries = batch.count
        // The batch before, once moved: the lane frees it (`CommitLane.submit`).
        var retiring: PendingCommit?
        if let previous = pending {
            pending = nil
            retiring = previous
            let previousFailure: EffectFailure?
            do {
                previousFailure = try finish(previous, publisher: publisher, inflight: &inflight)
            } catch {
                // The session ends and the broker redelivers this batch: its files must not stay.
                planned?.discardDocuments()
                throw error
            }
            if let previousFailure {
                // Both go back: a nack of this batch's last tag covers the one before it.
                planned?.discardDocuments()
                planned = nil
                failure = previousFailure
                deliveries += previous.deliveries
            }
        }
        if var next = planned, !next.deferred.isEmpty {
            do {
                try pipeline.batchRun.planDeferred(&next)
                planned = next
            } catch {
                planned = nil
                failure = error
            }
        }
        guard let next = planned else {
            try giveBack(upTo: lastTag, deliveries, failure!, consumer: consumer, publisher: publisher, inflight: &inflight)
            return nil
        }
        let markSent = confirmedOutbox
        confirmedOutbox.removeAll(keepingCapacity: true)
        let batchRun = pipeline.batchRun
        pipeline.lane.submit({ batchRun.commit(next, markSent: markSent) }, releasing: retiring.take())
        return PendingCommit(batch: next, lastTag: lastTag, deliveries: batch.count, markSent: markSent)
    }

    /// Takes a commit back from the lane and moves its batch: publishes, and leaves it in
    /// flight until confirmed. Pilots that changed since their snapshots are planned again
    /// and committed here. Returns the failure when nothing of the batch was committed.
    private func finish(
        _ pending: PendingCommit, publisher: AMQPConnection, inflight: inout InFlight
    ) throws(AMQPError) -> EffectFailure? {
        guard let pipeline else { preconditionFailure("a commit is pending only with a store") }
        var batch = pending.batch
        if let failure = pipeline.batchRun.settle(
            &batch, from: pipeline.lane.take(), markSent: pending.markSent, replanned: metrics.replanned)
        {
            confirmedOutbox += pending.markSent
            return failure
        }
        storeBackoff.reset()
        try move(batch.outcome(), lastTag: pending.lastTag, deliveries: pending.deliveries, publisher: publisher, inflight: &inflight)
        return nil
    }

    /// Publishes a batch's events and leaves it in flight until the broker confirms them.
    private func move(
        _ outcome: BatchOutcome, lastTag: UInt64, deliveries: Int, publisher: AMQPConnection, inflight: inout InFlight
    ) throws(AMQPError) {
        for (verdict, took) in outcome.verdicts { metrics.record(verdict, took: took) }
        if configuration.failpoint == .crashAfterCommit, !outcome.outbox.isEmpty {
            logger.critical("failpoint crash-after-commit: exiting before publishing and acking")
            exit(137)
        }
        try publisher.corked { () throws(AMQPError) in
            for publication in outcome.publications { try publisher.publish(publication) }
        }
        metrics.published(outcome.publications.count)
        inflight.append(lastTag: lastTag, deliveries: deliveries, lastSequence: publisher.lastPublishedSequence, outbox: outcome.outbox)
    }

    /// The store failed: nothing of the deliveries up to `tag` not yet acked is committed.
    /// Settles what is in flight, then gives them back to the broker after a pause, so the
    /// pause (not a hot loop) paces the retries.
    private func giveBack(
        upTo tag: UInt64, _ deliveries: Int, _ failure: EffectFailure, consumer: AMQPConnection, publisher: AMQPConnection,
        inflight: inout InFlight
    ) throws(AMQPError) {
        metrics.storeFailed()
        logger.error("store failed; batch returned to the queue", metadata: [
            "error": .string(failure.description), "deliveries": .stringConvertible(deliveries),
        ])
        try publisher.waitForConfirms(timeout: Double(configuration.confirmTimeout.milliseconds) / 1000)
        try settle(&inflight, consumer: consumer, publisher: publisher)
        stop.sleep(storeBackoff.next())
        try consumer.nack(tag, multiple: true, requeue: true)
    }

    /// Takes back the commit of a session that ended on an error: what it committed is
    /// redelivered and absorbed by the inbox; what it did not is discarded.
    private func abandon(_ pending: PendingCommit) {
        guard let pipeline else { return }
        switch pipeline.lane.take() {
        case .committed: return
        case .conflict: pending.batch.discardDocuments()
        case .failed: break
        }
        confirmedOutbox += pending.markSent
    }

    /// Batches published but not yet acked, oldest first.
    struct InFlight {
        struct Batch {
            var lastTag: UInt64
            var deliveries: Int
            var lastSequence: UInt64
            var outbox: [String]
            var since: ContinuousClock.Instant
        }
        var batches: [Batch] = []
        var isEmpty: Bool { batches.isEmpty }
        var oldestSince: ContinuousClock.Instant? { batches.first?.since }

        mutating func append(lastTag: UInt64, deliveries: Int, lastSequence: UInt64, outbox: [String]) {
            batches.append(
                Batch(lastTag: lastTag, deliveries: deliveries, lastSequence: lastSequence, outbox: outbox, since: .now))
        }
    }

    /// Acks, in order, every batch whose publications are all confirmed, and marks their
    /// outbox rows sent; stops at the first batch still waiting.
    private func settle(_ inflight: inout InFlight, consumer: AMQPConnection, publisher: AMQPConnection) throws(AMQPError) {
        var confirmed: (tag: UInt64, deliveries: Int, outbox: [String])?
        while let first = inflight.batches.first, try publisher.isConfirmed(upTo: first.lastSequence) {
            confirmed = (first.lastTag, (confirmed?.deliveries ?? 0) + first.deliveries, (confirmed?.outbox ?? []) + first.outbox)
            inflight.batches.removeFirst()
        }
        guard let confirmed else { return }
        // Only after the confirms: a crash before they are marked leaves the rows to the
        // relay. They are marked with the next batch's commit, or on their own when idle.
        if configuration.effects != nil { confirmedOutbox += confirmed.outbox }
        try consumer.ack(confirmed.tag, multiple: true)
        metrics.acked(confirmed.deliveries)
    }

    /// Marks confirmed outbox rows sent on their own, when no batch came to carry them;
    /// a failure only means the relay will publish them again, which the receivers'
    /// inboxes absorb.
    private func markConfirmedSent() {
        guard let effects = configuration.effects, !confirmedOutbox.isEmpty else { return }
        let ids = confirmedOutbox
        confirmedOutbox.removeAll(keepingCapacity: true)
        do {
            try effects.store.write { try $0.markSent(eventIDs: ids, at: processor.clock.timestamp()) }
        } catch {
            logger.warning("could not mark outbox rows sent; the relay will publish them again", metadata: [
                "error": .string(String(describing: error)), "rows": .stringConvertible(ids.count),
            ])
        }
    }
}

/// How much one batch gathers: a quarter of the prefetch, so the next batch arrives while
/// this one commits, and no more once its bodies reach `bytes`. Every body of a batch is
/// held until the batch is settled, and bodies can be as large as the broker takes (128 MiB
/// on RabbitMQ 3): a hundred of them must not take the worker past its memory limit, over
/// and over at each redelivery, until the broker dead-letters the whole batch.
struct BatchLimit {
    var count: Int
    var bytes = 16 << 20

    init(prefetch: UInt16) {
        count = max(1, Int(prefetch) / 4)
    }

    /// Whether a batch of `count` deliveries with `bytes` of bodies takes another.
    func takesMore(count: Int, bytes: Int) -> Bool {
        count < self.count && bytes < self.bytes
    }
}
