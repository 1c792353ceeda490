import Synchronization

/// What the worker's health endpoint and tests read while it runs.
public final class WorkerStatus: Sendable {
    private let consuming = Atomic<Int>(0)
    private let expected = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)

    public init() {}

    /// Consumers that are connected and consuming right now.
    public var consumingCount: Int { consuming.load(ordering: .relaxed) }
    /// Consumers the worker runs (stages × concurrency).
    public var expectedCount: Int { expected.load(ordering: .relaxed) }
    public var isStopping: Bool { stopping.load(ordering: .relaxed) }

    /// Ready means every consumer is taking deliveries: one that is reconnecting leaves
    /// its queue to the other workers, and a stopping worker should get no new traffic.
    public var readiness: Readiness {
        let consuming = consumingCount, expected = expectedCount
        if isStopping { return Readiness(isReady: false, reason: "shutting down") }
        if expected == 0 { return Readiness(isReady: false, reason: "starting") }
        let summary = "\(consuming) of \(expected) consumers consuming"
        return Readiness(isReady: consuming >= expected, reason: summary)
    }

    public struct Readiness: Sendable, Equatable {
        public var isReady: Bool
        public var reason: String
    }

    func started(consumers: Int) { expected.store(consumers, ordering: .relaxed) }
    func shuttingDown() { stopping.store(true, ordering: .relaxed) }
    func consumerStarted() { consuming.add(1, ordering: .relaxed) }
    func consumerStopped() { consuming.subtract(1, ordering: .relaxed) }
}
