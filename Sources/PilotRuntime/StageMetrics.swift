import CoreMetrics
import Synchronization

/// The metrics of one stage, through swift-metrics: whatever backend the process
/// bootstraps (Prometheus in `pilot-worker`) sees them, and none costs nothing.
///
/// Names are dotted and end in their unit or `.total`; labels are fixed (`stage`, and
/// `outcome` or `reason` from closed sets). The handles are made once per stage and
/// shared by its consumers: creating one goes through the backend's registry lock,
/// updating one is an atomic add.
public final class StageMetrics: Sendable {
    public static let deliveries = "pilot.deliveries.total"
    public static let acked = "pilot.acked.total"
    public static let published = "pilot.published.total"
    public static let deadLetters = "pilot.dead_letters.total"
    public static let handling = "pilot.handling.seconds"
    public static let storeFailures = "pilot.store_failures.total"
    public static let reconnects = "pilot.reconnects.total"
    public static let batches = "pilot.batches.total"
    public static let replans = "pilot.replans.total"

    public let stage: String
    let consumed: Counter
    let handled: Counter
    let duplicate: Counter
    let retried: Counter
    let deadLettered: Counter
    let ackedCount: Counter
    let publishedCount: Counter
    let handlingTime: CoreMetrics.Timer
    let storeFailureCount: Counter
    let reconnectCount: Counter
    let batchCount: Counter
    let replanCount: Counter
    private let deadByReason: Mutex<[String: Counter]>
    private let factory: any MetricsFactory

    /// - Parameter factory: the backend; the one the process bootstrapped by default.
    public init(stage: Stage, factory: any MetricsFactory = MetricsSystem.factory) {
        let name = stage.name
        self.stage = name
        self.factory = factory
        func outcome(_ outcome: String) -> Counter {
            Counter(label: Self.deliveries, dimensions: [("stage", name), ("outcome", outcome)], factory: factory)
        }
        consumed = outcome("received")
        handled = outcome("handled")
        duplicate = outcome("duplicate")
        retried = outcome("retried")
        deadLettered = outcome("dead_lettered")
        ackedCount = Counter(label: Self.acked, dimensions: [("stage", name)], factory: factory)
        publishedCount = Counter(label: Self.published, dimensions: [("stage", name)], factory: factory)
        handlingTime = CoreMetrics.Timer(label: Self.handling, dimensions: [("stage", name)], factory: factory)
        storeFailureCount = Counter(label: Self.storeFailures, dimensions: [("stage", name)], factory: factory)
        reconnectCount = Counter(label: Self.reconnects, dimensions: [("stage", name)], factory: factory)
        batchCount = Counter(label: Self.batches, dimensions: [("stage", name)], factory: factory)
        replanCount = Counter(label: Self.replans, dimensions: [("stage", name)], factory: factory)
        // The runtime's own reasons exist from the start, so a dashboard sees zeros, not gaps.
        var byReason: [String: Counter] = [:]
        for reason in DeadLetterReason.allCases {
            byReason[reason.rawValue] = Counter(
                label: Self.deadLetters, dimensions: [("stage", name), ("reason", reason.rawValue)], factory: factory)
        }
        deadByReason = Mutex(byReason)
    }

    /// One batch of `count` deliveries taken from the queue. Each batch pays the fixed costs
    /// (a store read, a commit, two flushes of the documents), so the mean size shows how
    /// well they are shared.
    func received(_ count: Int) {
        consumed.increment(by: count)
        batchCount.increment()
    }

    func acked(_ count: Int) { ackedCount.increment(by: count) }

    func published(_ count: Int) { publishedCount.increment(by: count) }

    func storeFailed() { storeFailureCount.increment() }

    /// Pilots planned again because another commit saved them after their snapshots were
    /// read: the contention between consumers over the same pilots.
    func replanned(_ pilots: Int) { replanCount.increment(by: pilots) }

    func reconnected() { reconnectCount.increment() }

    /// Records a committed verdict and how long the delivery took to process.
    func record(_ verdict: DeliveryProcessor.Verdict, took duration: Duration) {
        handlingTime.recordNanoseconds(duration.nanoseconds)
        switch verdict {
        case .handled: handled.increment()
        case .duplicate: duplicate.increment()
        case .retry: retried.increment()
        case .dead(let reason):
            deadLettered.increment()
            deadLetterCounter(reason).increment()
        }
    }

    /// Handler rejections add their own reasons (`wrong_state`, …): a closed set in code.
    private func deadLetterCounter(_ reason: String) -> Counter {
        deadByReason.withLock { counters in
            if let counter = counters[reason] { return counter }
            let counter = Counter(
                label: Self.deadLetters, dimensions: [("stage", stage), ("reason", reason)], factory: factory)
            counters[reason] = counter
            return counter
        }
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
