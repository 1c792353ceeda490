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
        var backoff = configuration.reconnectBackoff
        var connectedBefore = false
        // With a cluster, a lost session moves on to the next node: the one it had may be the one that went down.
        var node = 0
        while !stop.isStopped {
            do {
                try session(from: &node, onConnected: {
                    backoff.reset()
                    if connectedBefore { metrics.reconnected() }
                    connectedBefore = true
                })
            } catch {
                let wait = backoff.next()
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
        var storeBackoff = Backoff(initial: .milliseconds(500), cap: .seconds(30))
        let maxBatch = max(1, Int(prefetch) / 4)
        var batch: [AMQPDelivery] = []
        batch.reserveCapacity(maxBatch)
        var inflight = InFlight()
        while !stop.isStopped {
            try settle(&inflight, consumer: consumer, publisher: publisher)
            if let oldest = inflight.oldestSince, ContinuousClock.now - oldest > configuration.confirmTimeout {
                throw AMQPError(operation: "wait for publisher confirms", kind: .library(
                    status: -0x000D, message: "no confirm within \(configuration.confirmTimeout)"))
            }
            // With batches in flight, a confirm matters as much as a delivery: wait for either.
            guard let first = try consumer.nextDelivery(timeout: inflight.isEmpty ? poll : 0) else {
                if inflight.isEmpty {
                    markConfirmedSent()
                    try publisher.serviceIdle()
                } else {
                    _ = AMQPConnection.awaitInput([consumer, publisher], timeout: poll)
                }
                continue
            }
            batch.removeAll(keepingCapacity: true)
            batch.append(first)
            while batch.count < maxBatch, let next = try consumer.nextDelivery(timeout: 0) {
                batch.append(next)
            }
            let lastTag = batch[batch.count - 1].deliveryTag
            metrics.received(batch.count)
            let outcome: BatchOutcome
            do {
                outcome = try handle(batch)
            } catch {
                // The store failed: nothing of the batch is committed. Settle what is in
                // flight, then give the batch back to the broker after a pause, so the pause
                // (not a hot loop) paces the retries.
                metrics.storeFailed()
                logger.error("store failed; batch returned to the queue", metadata: [
                    "error": .string(error.description), "deliveries": .stringConvertible(batch.count),
                ])
                try publisher.waitForConfirms(timeout: confirmTimeout)
                try settle(&inflight, consumer: consumer, publisher: publisher)
                stop.sleep(storeBackoff.next())
                try consumer.nack(lastTag, multiple: true, requeue: true)
                continue
            }
            storeBackoff.reset()
            for (verdict, took) in outcome.verdicts { metrics.record(verdict, took: took) }
            if configuration.failpoint == .crashAfterCommit, !outcome.outbox.isEmpty {
                logger.critical("failpoint crash-after-commit: exiting before publishing and acking")
                exit(137)
            }
            try publisher.corked { () throws(AMQPError) in
                for publication in outcome.publications { try publisher.publish(publication) }
            }
            metrics.published(outcome.publications.count)
            inflight.append(
                lastTag: lastTag, deliveries: batch.count, lastSequence: publisher.lastPublishedSequence,
                outbox: outcome.outbox)
        }
        // Stopping: wait for what is in flight, so the batches in hand are acked.
        if !inflight.isEmpty {
            try publisher.waitForConfirms(timeout: confirmTimeout)
            try settle(&inflight, consumer: consumer, publisher: publisher)
        }
        markConfirmedSent()
        logger.info("stopped consuming", metadata: ["queue": .string(stage.queue)])
        consumer.close()
        publisher.close()
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

    /// Runs a batch through the processor: with a store, plan and commit (`StoreBatch`).
    private func handle(_ batch: [AMQPDelivery]) throws(EffectFailure) -> BatchOutcome {
        guard let effects = configuration.effects, processor.stage.usesStore else {
            var outcome = BatchOutcome()
            for delivery in batch {
                let started = ContinuousClock.now
                let result = processor.process(delivery, logger: logger)
                outcome.publications += result.publications
                outcome.verdicts.append((result.verdict, ContinuousClock.now - started))
            }
            return outcome
        }
        let batchRun = StoreBatch(processor: processor, effects: effects, logger: logger, failpoint: configuration.failpoint)
        let outcome = try batchRun.run(batch, markSent: confirmedOutbox)
        confirmedOutbox.removeAll(keepingCapacity: true)
        return outcome
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
