import Foundation
import PilotOperations
import PilotRuntime
import Synchronization

/// What the overview shows of the broker: queue depths and dead letters, read as
/// `pilotctl queues` and `pilotctl dlq list` read them, and kept for `maxAge`.
///
/// Kept because each read opens connections and browses every dead-letter queue (which
/// returns its messages and so counts a delivery on each): a page reloaded by several
/// operators, or under load, must not multiply that. A replay clears it.
final class BrokerPanel: Sendable {
    struct Letter: Sendable {
        var eventID: String
        var thread: String
        var reason: String
        var attempts: Int64
        var detail: String
    }

    struct Snapshot: Sendable {
        var rows: [QueueDepths.Row] = []
        var source: QueueDepths.Source = .management
        var dead: [(stage: Stage, letters: [Letter])] = []
        var error: String?
    }

    let broker: BrokerAccess
    let maxAge: Duration
    private let cached = Mutex<(at: ContinuousClock.Instant, snapshot: Snapshot)?>(nil)

    init(broker: BrokerAccess, maxAge: Duration = .seconds(2)) {
        self.broker = broker
        self.maxAge = maxAge
    }

    func snapshot() async -> Snapshot {
        if let hit = cached.withLock({ $0 }), ContinuousClock.now - hit.at < maxAge { return hit.snapshot }
        let broker = self.broker
        var snapshot = Snapshot()
        do {
            snapshot = try await Offload.run {
                let (rows, source) = try QueueDepths.read(broker.queues, management: broker.management) { try broker.connect() }
                // Every existing dead queue is browsed, not only those the depths say hold
                // something: the management API's figures lag by seconds.
                let existing = broker.stages.filter { stage in rows.contains { $0.queue == stage.deadQueue && $0.exists } }
                let dead = try DeadLetterOperations.list(existing, limit: 200) { try broker.connect() }
                    .filter { !$0.letters.isEmpty }
                    .map { stage, letters in
                        (stage, letters.map {
                            Letter(eventID: $0.eventID ?? "?", thread: $0.threadID ?? "?", reason: $0.reason,
                                attempts: Int64($0.attempts), detail: String($0.detail.prefix(300)))
                        })
                    }
                return Snapshot(rows: rows, source: source, dead: dead)
            }
        } catch {
            snapshot.error = "\(error)"
        }
        cached.withLock { $0 = (ContinuousClock.now, snapshot) }
        return snapshot
    }

    func invalidate() { cached.withLock { $0 = nil } }
}
