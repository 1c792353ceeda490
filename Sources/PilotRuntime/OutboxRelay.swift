import Contracts
import Foundation
import Logging
import PilotAMQP
import PilotStore

/// Publishes outbox rows that no consumer marked sent: a worker that crashed between
/// its commit and its confirms leaves them behind. Runs at start and then every
/// `relayInterval`, on its own thread and connection, and takes only rows older than
/// `relayMinimumAge` so it does not race batches still in flight.
///
/// On SQLite several workers may relay the same row; the event id is the message id, so
/// the receivers' inboxes absorb the copies. On PostgreSQL each row goes to one relay.
final class OutboxRelay: @unchecked Sendable {
    // @unchecked: the connection is created and used only on the relay's own thread.
    let configuration: WorkerConfiguration
    let effects: Effects
    let stop: StopSignal
    let logger: Logger
    /// Made before any consumer runs (`WorkerService.services()`): the first pass takes only
    /// rows created before this process started, so it never races this worker's own first
    /// batches, whose rows wait for their confirms unmarked.
    let startedAt: Date

    init(configuration: WorkerConfiguration, effects: Effects, stop: StopSignal, logger: Logger) {
        startedAt = configuration.clock.now()
        self.configuration = configuration
        self.effects = effects
        self.stop = stop
        var logger = logger
        logger[metadataKey: "component"] = "outbox-relay"
        self.logger = logger
    }

    func run() {
        var backoff = configuration.reconnectBackoff
        var connection: AMQPConnection?
        // Created in a second before the start: a leftover. One from the start's own second
        // waits for a later pass, as young rows do.
        var cutoff = Self.cutoff(now: startedAt, minimumAge: .seconds(1))
        var node = 0
        while !stop.isStopped {
            do {
                if connection?.isOpen != true {
                    var options = configuration.connection
                    options.connectionName = "pilot-worker outbox relay"
                    let (opened, at) = try configuration.broker.connect(options: options, from: node)
                    connection = opened
                    node = at
                    try connection!.enableConfirms()
                    // As a consumer does: a row whose queue was deleted comes back (it is
                    // mandatory), and the reconnect after that failure puts the queue back.
                    try configuration.topology.declare(on: connection!)
                }
                let relayed = try relayOnce(connection!, createdAtOrBefore: cutoff)
                if relayed > 0 { logger.notice("published outbox rows left unsent", metadata: ["rows": .stringConvertible(relayed)]) }
                backoff.reset()
                stop.sleep(effects.relayInterval)
                cutoff = Self.cutoff(now: configuration.clock.now(), minimumAge: effects.relayMinimumAge)
                try connection!.serviceIdle()
            } catch {
                connection = nil
                node = (node + 1) % configuration.broker.urls.count
                let wait = backoff.next()
                logger.warning("outbox relay failed; retrying", metadata: [
                    "error": .string(String(describing: error)), "retry_in": .string("\(wait)"),
                ])
                stop.sleep(wait)
            }
        }
        connection?.close()
    }

    /// Publishes pending rows created at or before `cutoff`, in outbox order; returns how
    /// many. The store hands them out (`PilotStore.relayOutbox`): on PostgreSQL it claims
    /// them, so relays on other hosts take other rows while this one waits for its confirms.
    /// Rows that reached no queue (`basic.return`) stay unsent and the others are marked,
    /// so they are not sent again with them; then `UnroutedRows` is thrown, and the
    /// reconnect after it declares the queues again.
    func relayOnce(_ connection: AMQPConnection, createdAtOrBefore cutoff: String) throws -> Int {
        let clock = configuration.clock
        var total = 0
        while !stop.isStopped {
            var unrouted: [OutboxMessage] = []
            let relayed = try effects.store.relayOutbox(limit: 500, createdAtOrBefore: cutoff, sentAt: { clock.timestamp() }) { rows in
                let timestamp = UInt64(clock.now().timeIntervalSince1970)
                for row in rows { try connection.publish(Publication(outbox: row, timestamp: timestamp)) }
                // Through a Result: `catch where` on a typed error crashes Swift 6.3.1's SIL
                // verifier in a debug build (see `DeadLetterQueue.replay`).
                let outcome: Result<Void, AMQPError> = Result { () throws(AMQPError) in try connection.waitForConfirms() }
                guard case .failure(let error) = outcome else { return [] }
                // Every other message is confirmed by then; without an id the returned one
                // cannot be told apart, and none is marked.
                guard error.kind == .returned, !error.returnedMessageIDs.contains(nil) else { throw error }
                let returned = Set(error.returnedMessageIDs.compactMap { $0 })
                unrouted = rows.filter { returned.contains($0.eventID) }
                // A return this pass cannot place among its rows: mark nothing.
                guard Set(unrouted.map(\.eventID)) == returned else { throw error }
                return returned
            }
            total += relayed
            if !unrouted.isEmpty { throw UnroutedRows(rows: unrouted, relayed: total) }
            if relayed < 500 { break }
        }
        return total
    }

    /// Outbox rows no queue took: they stay unsent for the next pass.
    struct UnroutedRows: Error, CustomStringConvertible {
        var rows: [OutboxMessage]
        /// Rows of this call that did reach their queues, marked sent.
        var relayed: Int

        var description: String {
            let named = rows.prefix(5).map { "\($0.eventID) to \($0.exchange.isEmpty ? "queue" : $0.exchange) \($0.routingKey)" }
            return "no queue took \(rows.count) outbox row(s) (\(named.joined(separator: ", "))\(rows.count > 5 ? ", …" : "")); "
                + "they stay unsent until a queue is bound for them; \(relayed) other(s) were published and marked sent"
        }
    }

    /// The latest `created_at` of a leftover row: rows created `minimumAge` or more before
    /// `now`. Younger ones belong to a batch still waiting for its confirms.
    static func cutoff(now: Date, minimumAge: Duration) -> String {
        EventTime.string(now.addingTimeInterval(-Double(minimumAge.milliseconds) / 1000))
    }
}
