import Foundation
import Logging
import PilotAMQP

/// One consumer of one stage queue, on its own thread, with its own two connections:
/// one consumes, one publishes with confirms. Keeping them apart means a confirm
/// never interrupts a delivery read, and broker flow control on publishers never
/// stalls deliveries.
///
/// The loop takes whatever deliveries are ready (up to the prefetch), runs each
/// through the `DeliveryProcessor`, publishes all resulting messages, waits once for
/// their confirms and then acks the batch with one `multiple` ack. A failure anywhere
/// drops both connections without acking: the broker redelivers the batch, and the
/// derived event ids let the inbox absorb what was already done.
final class StageConsumer: @unchecked Sendable {
    // @unchecked: the connections are created and used only on the consumer's own thread.
    let processor: DeliveryProcessor
    let configuration: WorkerConfiguration
    let stop: StopSignal
    let status: WorkerStatus
    let logger: Logger

    init(processor: DeliveryProcessor, configuration: WorkerConfiguration, stop: StopSignal, status: WorkerStatus, logger: Logger) {
        self.processor = processor
        self.configuration = configuration
        self.stop = stop
        self.status = status
        var logger = logger
        logger[metadataKey: "stage"] = .string(processor.stage.name)
        self.logger = logger
    }

    /// Runs until the stop signal is set; never returns because of the broker.
    func run() {
        var backoff = configuration.reconnectBackoff
        var connectedBefore = false
        while !stop.isStopped {
            do {
                try session(onConnected: {
                    backoff.reset()
                    if connectedBefore { status.reconnected() }
                    connectedBefore = true
                })
            } catch {
                let wait = backoff.next()
                logger.warning("connection to the broker lost; reconnecting", metadata: [
                    "error": .string(error.description), "broker": .string(configuration.amqpURL.description),
                    "retry_in": .string("\(wait)"),
                ])
                stop.sleep(wait)
            }
        }
    }

    /// One connected period: connect, declare, consume until stopped or broken.
    private func session(onConnected: () -> Void) throws(AMQPError) {
        let stage = processor.stage
        var options = configuration.connection
        options.connectionName = "pilot-worker \(stage.name) consumer"
        let consumer = try AMQPConnection(url: configuration.amqpURL, options: options)
        options.connectionName = "pilot-worker \(stage.name) publisher"
        let publisher = try AMQPConnection(url: configuration.amqpURL, options: options)
        try publisher.enableConfirms()
        try configuration.topology.declare(on: publisher)
        try consumer.consume(queue: stage.queue, prefetch: configuration.prefetch)
        onConnected()
        status.consumerStarted()
        defer { status.consumerStopped() }
        logger.info("consuming", metadata: ["queue": .string(stage.queue), "prefetch": .stringConvertible(configuration.prefetch)])

        let poll = Double(configuration.pollInterval.milliseconds) / 1000
        let confirmTimeout = Double(configuration.confirmTimeout.milliseconds) / 1000
        var batch: [AMQPDelivery] = []
        batch.reserveCapacity(Int(configuration.prefetch))
        while !stop.isStopped {
            guard let first = try consumer.nextDelivery(timeout: poll) else {
                try publisher.serviceIdle()
                continue
            }
            batch.removeAll(keepingCapacity: true)
            batch.append(first)
            while batch.count < Int(configuration.prefetch), let next = try consumer.nextDelivery(timeout: 0) {
                batch.append(next)
            }
            for delivery in batch {
                let (_, publications) = processor.process(delivery, logger: logger)
                for publication in publications { try publisher.publish(publication) }
            }
            try publisher.waitForConfirms(timeout: confirmTimeout)
            try consumer.ack(batch[batch.count - 1].deliveryTag, multiple: true)
        }
        logger.info("stopped consuming", metadata: ["queue": .string(stage.queue)])
        consumer.close()
        publisher.close()
    }
}
