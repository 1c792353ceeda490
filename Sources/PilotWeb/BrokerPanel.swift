import Foundation
import PilotOperations
import PilotRuntime
import Synchronization

/// What the overview shows of the broker: queue depths and dead letters, read as
/// `pilotctl queues` and `pilotctl dlq list` read them, and kept for `maxAge`.
///
/// Kept, and read once however many requests want it at a time, because each read opens
/// connections and browses every dead-letter queue (which returns its messages and so
/// counts a delivery on each): a page reloaded by several operators, or under load, must
/// not multiply that. A replay clears it.
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
    /// Reads the broker; `Self.read(_:)` but in tests.
    let read: @Sendable () async -> Snapshot

    private struct State {
        var cached: (at: ContinuousClock.Instant, snapshot: Snapshot)?
        /// The read under way: every request that finds the cache stale meanwhile waits for it
        /// rather than start one of its own. `invalidate()` forgets it, so a read begun before
        /// a replay is not kept after it.
        var reading: Task<Snapshot, Never>?
    }
    private let state = Mutex(State())

    init(broker: BrokerAccess, maxAge: Duration = .seconds(2), read: (@Sendable () async -> Snapshot)? = nil) {
        self.broker = broker
        self.maxAge = maxAge
        self.read = read ?? { await Self.read(broker) }
    }

    func snapshot() async -> Snapshot {
        let (hit, reading): (Snapshot?, Task<Snapshot, Never>?) = state.withLock { state in
            if let hit = state.cached, ContinuousClock.now - hit.at < maxAge { return (hit.snapshot, nil) }
            let reading = state.reading ?? Task { [read] in await read() }
            state.reading = reading
            return (nil, reading)
        }
        guard let reading else { return hit ?? Snapshot() }
        let snapshot = await reading.value
        state.withLock { state in
            guard state.reading == reading else { return }
            state.cached = (ContinuousClock.now, snapshot)
            state.reading = nil
        }
        return snapshot
    }

    func invalidate() {
        state.withLock { state in
            state.cached = nil
            state.reading = nil
        }
    }

    /// Queue depths and up to 200 dead letters of each stage, or why they cannot be read.
    static func read(_ broker: BrokerAccess) async -> Snapshot {
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
        return snapshot
    }
}
