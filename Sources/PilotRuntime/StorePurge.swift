import Contracts
import Foundation
import Logging
import PilotStore

/// Deletes sent outbox rows and inbox rows older than `StoreRetention`, at start and then
/// every `interval`, in short transactions of `batch` rows so workers never wait long
/// behind it. Every worker runs one; on PostgreSQL they skip each other's rows.
final class StorePurge: Sendable {
    let effects: Effects
    let clock: WallClock
    let stop: StopSignal
    let logger: Logger
    let batch = 5000

    init(effects: Effects, clock: WallClock, stop: StopSignal, logger: Logger) {
        self.effects = effects
        self.clock = clock
        self.stop = stop
        var logger = logger
        logger[metadataKey: "component"] = "store-purge"
        self.logger = logger
    }

    func run() {
        while !stop.isStopped {
            do {
                let (outbox, inbox) = try purgeOnce()
                if outbox + inbox > 0 {
                    logger.info("purged old store rows", metadata: [
                        "outbox_sent": .stringConvertible(outbox), "inbox": .stringConvertible(inbox),
                    ])
                }
            } catch {
                logger.warning("store purge failed; trying again later", metadata: ["error": .string(String(describing: error))])
            }
            stop.sleep(effects.retention.interval)
        }
    }

    /// One pass over both tables; returns how many rows each lost.
    func purgeOnce() throws -> (outbox: Int, inbox: Int) {
        let now = clock.now()
        func cutoff(_ age: Duration) -> String {
            EventTime.string(now.addingTimeInterval(-Double(age.components.seconds)))
        }
        let (outboxBefore, inboxBefore) = (cutoff(effects.retention.outbox), cutoff(effects.retention.inbox))
        var outbox = 0, inbox = 0
        while !stop.isStopped {
            let deleted = try effects.store.write { try $0.purgeSent(before: outboxBefore, limit: batch) }
            outbox += deleted
            if deleted < batch { break }
        }
        while !stop.isStopped {
            let deleted = try effects.store.write { try $0.purgeInbox(before: inboxBefore, limit: batch) }
            inbox += deleted
            if deleted < batch { break }
        }
        return (outbox, inbox)
    }
}
