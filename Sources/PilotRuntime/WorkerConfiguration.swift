import PilotAMQP

/// Everything a worker process needs to run; filled from flags and `PILOT_*` variables.
public struct WorkerConfiguration: Sendable {
    public var amqpURL: AMQPURL
    public var connection = AMQPConnectionOptions()
    public var stages: [Stage] = Stage.all
    /// Consumers (each a thread with its own connections) per stage.
    public var concurrency = 1
    /// Unacked deliveries per consumer; also the largest batch confirmed at once.
    public var prefetch: UInt16 = 200
    public var policy = FailurePolicy()
    /// How long a consumer waits for a delivery before it services heartbeats and
    /// checks for shutdown. Must stay well under the heartbeat interval.
    public var pollInterval: Duration = .milliseconds(250)
    /// Time allowed for the broker to confirm a batch.
    public var confirmTimeout: Duration = .seconds(30)
    /// Time allowed to finish in-flight work after SIGTERM before giving up.
    public var shutdownTimeout: Duration = .seconds(30)
    public var reconnectBackoff = Backoff()

    public init(amqpURL: AMQPURL) {
        self.amqpURL = amqpURL
    }

    public var topology: Topology {
        Topology(stages: stages, retryDelays: policy.retryDelays)
    }
}
