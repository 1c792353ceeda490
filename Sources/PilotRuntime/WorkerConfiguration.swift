import Foundation
import PilotAMQP
import PilotStore

/// Everything a worker process needs to run; filled from flags and `PILOT_*` variables.
public struct WorkerConfiguration: Sendable {
    /// The broker, or the nodes of a cluster (`PILOT_AMQP_URL`, comma-separated).
    public var broker: AMQPNodes
    /// The first node, for code that talks to one.
    public var amqpURL: AMQPURL { broker.urls[0] }
    public var connection = AMQPConnectionOptions()
    public var stages: [Stage] = Stage.all
    /// Consumers (each a thread with its own connections) per stage.
    public var concurrency = 1
    /// Unacked deliveries per consumer; a quarter of it is the largest batch planned,
    /// committed and confirmed at once.
    public var prefetch: UInt16 = defaultPrefetch
    /// 400 rather than 200: 10,000 pilots on two workers took 339 and 380 s against 349 and 422 s
    /// (README, Performance, 2026-12-04 afternoon).
    public static let defaultPrefetch: UInt16 = 400
    public var policy = FailurePolicy()
    /// How long a consumer waits for a delivery before it services heartbeats and
    /// checks for shutdown. Must stay well under the heartbeat interval.
    public var pollInterval: Duration = .milliseconds(250)
    /// Time allowed for the broker to confirm a batch.
    public var confirmTimeout: Duration = .seconds(30)
    /// Time allowed to finish in-flight work after SIGTERM before giving up.
    public var shutdownTimeout: Duration = .seconds(30)
    public var reconnectBackoff = Backoff()
    /// The store and workspace for exactly-once effects; nil runs handlers without them
    /// (the echo handler and the benchmarks).
    public var effects: Effects?
    /// Where the runtime reads the time of day.
    public var clock = WallClock.system
    /// A fault to inject, for crash tests only (`PILOT_FAILPOINT`).
    public var failpoint: Failpoint?

    public init(amqpURL: AMQPURL) {
        broker = AMQPNodes(amqpURL)
    }

    public init(broker: AMQPNodes) {
        self.broker = broker
    }

    /// The length of a pilot day (`PILOT_DAY_SECONDS`); short in rehearsals.
    public var dayLength: Duration = .seconds(86_400)

    /// The worker's own stages, and the queues of every other stage besides: an event a
    /// worker publishes for a stage it does not run goes out mandatory, and must find that
    /// stage's queue on a fresh vhost before that stage's workers first start.
    public var topology: Topology {
        let others = Stage.all.filter { stage in !stages.contains { $0.name == stage.name } }
        return Topology(stages: stages + others, retryDelays: policy.retryDelays, dayLength: dayLength)
    }
}

/// What exactly-once effects need: the store (inbox, outbox, state) and the documents.
public struct Effects: Sendable {
    public var store: any PilotStore
    /// The workspace folder or an object store (`PILOT_DOCUMENTS`).
    public var documents: any DocumentStore
    /// `host:pid`, recorded with every handled event.
    public var worker: String
    /// How often the relay looks for outbox rows a crash left unsent, and how old a row
    /// must be before the relay takes it (younger ones belong to a batch in flight).
    public var relayInterval: Duration = .seconds(5)
    public var relayMinimumAge: Duration = .seconds(10)
    /// How long sent outbox rows and inbox rows stay before the purge deletes them.
    public var retention = StoreRetention()

    public init(store: any PilotStore, documents: any DocumentStore, worker: String = Effects.defaultWorkerName()) {
        self.store = store
        self.documents = documents
        self.worker = worker
    }

    public static func defaultWorkerName() -> String {
        "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
    }
}

/// Faults the crash tests inject into a real worker process.
public enum Failpoint: String, Sendable {
    /// Exit abruptly after a batch's effects are committed and before its events are
    /// published and its deliveries acked: the worst moment to die.
    case crashAfterCommit = "crash-after-commit"
    /// Block the consumer for good once a handler has run and before its batch commits,
    /// after logging `failpoint pause-in-handler reached` with the event id: a test can
    /// then kill the worker at a moment it knows, with the effects planned but not stored.
    case pauseInHandler = "pause-in-handler"
}
