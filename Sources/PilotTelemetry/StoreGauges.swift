import CoreMetrics
import Logging
import PilotRuntime
import PilotStore
import Synchronization

/// Gauges read from the store when Prometheus scrapes, so they cost nothing between
/// scrapes: the outbox backlog, and pilots per stage and status.
public final class StoreGauges: Sendable {
    public static let outboxBacklog = "pilot.outbox.backlog"
    public static let pilots = "pilot.pilots"
    public static let consumers = "pilot.consumers"
    public static let ready = "pilot.ready"
    public static let jsonCacheHits = "pilot.json_cache.hits"
    public static let jsonCacheMisses = "pilot.json_cache.misses"

    private let store: (any PilotStore)?
    private let status: WorkerStatus
    private let factory: any MetricsFactory
    private let logger: Logger
    private let backlog: Gauge
    private let consuming: Gauge
    private let readiness: Gauge
    private let cacheHits: Gauge
    private let cacheMisses: Gauge
    /// Every (stage, status) pair seen so far: one that empties must read 0, not its last value.
    private let pilotGauges = Mutex<[PilotKey: Gauge]>([:])

    private struct PilotKey: Hashable {
        var stage: String
        var status: String
    }

    public init(store: (any PilotStore)?, status: WorkerStatus, factory: any MetricsFactory, logger: Logger) {
        self.store = store
        self.status = status
        self.factory = factory
        self.logger = logger
        backlog = Gauge(label: Self.outboxBacklog, factory: factory)
        consuming = Gauge(label: Self.consumers, factory: factory)
        readiness = Gauge(label: Self.ready, factory: factory)
        cacheHits = Gauge(label: Self.jsonCacheHits, factory: factory)
        cacheMisses = Gauge(label: Self.jsonCacheMisses, factory: factory)
    }

    /// Reads the store and the worker status into the gauges. A store error leaves the
    /// store gauges as they were and is logged: a scrape must not fail because of it.
    public func refresh() {
        consuming.record(status.consumingCount)
        readiness.record(status.readiness.isReady ? 1 : 0)
        let cache = ParsedJSONCache.shared.counts
        cacheHits.record(cache.hits)
        cacheMisses.record(cache.misses)
        guard let store else { return }
        do {
            let (pending, counts) = try store.read { reader in (try reader.pendingOutboxCount(), try reader.pilotCounts()) }
            backlog.record(pending)
            pilotGauges.withLock { gauges in
                var seen = Set<PilotKey>()
                for count in counts {
                    let key = PilotKey(stage: count.stage, status: count.status)
                    seen.insert(key)
                    gauge(for: key, in: &gauges).record(count.count)
                }
                for (key, gauge) in gauges where !seen.contains(key) { gauge.record(0) }
            }
        } catch {
            logger.warning("metrics: cannot read the store", metadata: ["error": .string(String(describing: error))])
        }
    }

    private func gauge(for key: PilotKey, in gauges: inout [PilotKey: Gauge]) -> Gauge {
        if let gauge = gauges[key] { return gauge }
        let gauge = Gauge(label: Self.pilots, dimensions: [("stage", key.stage), ("status", key.status)], factory: factory)
        gauges[key] = gauge
        return gauge
    }
}
