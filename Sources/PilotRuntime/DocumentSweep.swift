import Foundation
import Logging

/// Removes what killed workers left in the document store (`DocumentStore.sweepLeftovers`),
/// at start and then every `interval`, so a worker restarted at once after a kill (when
/// its leftovers are still young) or killed while others run still has them cleaned up.
/// Every worker runs one; two sweeping the same leftovers delete them twice, which is no
/// error.
final class DocumentSweep: Sendable {
    let documents: any DocumentStore
    let clock: WallClock
    let stop: StopSignal
    let interval: Duration
    let logger: Logger

    init(documents: any DocumentStore, clock: WallClock, stop: StopSignal, interval: Duration = .seconds(900), logger: Logger) {
        self.documents = documents
        self.clock = clock
        self.stop = stop
        self.interval = interval
        var logger = logger
        logger[metadataKey: "component"] = "document-sweep"
        logger[metadataKey: "documents"] = .string(documents.location)
        self.logger = logger
    }

    func run() {
        repeat {
            do {
                let removed = try documents.sweepLeftovers(now: clock.now())
                if removed > 0 {
                    logger.notice("removed documents that killed workers left staged", metadata: [
                        "removed": .stringConvertible(removed),
                    ])
                }
            } catch {
                logger.warning("document sweep failed; trying again later", metadata: [
                    "error": .string(String(describing: error)),
                ])
            }
        } while stop.sleep(interval)
    }
}
