import PilotAMQP

/// The broker objects the worker needs, declared idempotently at every (re)connect
/// and by `pilotctl topology apply`.
///
/// ```
///  upstream ──publish(routing key = event type)──▶ [pilot.events] (topic, durable)
///                                                     │ bindings per stage
///                                                     ▼
///                                     pilot.stage.<stage>   (quorum)
///                                       │ consumed by pilot-worker, acked after effects
///       handler error, attempt n < max  │                     body/contract fault, or attempt n = max
///            ┌──────────────────────────┘                              │
///            ▼ publish to [pilot.retry.<delay>] (fanout),               ▼ publish via default exchange
///              routing key = stage queue, header x-attempts = n      pilot.stage.<stage>.dead (quorum)
///  pilot.retry.<delay> (quorum, x-message-ttl = delay,                 headers x-error-reason, x-error-detail,
///    x-dead-letter-exchange = "" , at-least-once dead lettering)       x-attempts, x-first-failed-at,
///            │ on expiry the broker dead-letters the message            x-original-routing-key
///            ▼ to the default exchange with its routing key,
///          i.e. straight back into pilot.stage.<stage>
/// ```
///
/// Why this shape:
/// - One delay queue per delay tier, never per-message TTLs: all messages in a tier
///   expire in publish order, so a long delay never holds back a short one.
/// - The tier queue dead-letters to the default exchange with the routing key the
///   worker chose, so one set of tier queues serves every stage.
/// - Attempts are counted in our own `x-attempts` header: RabbitMQ 4 ignores
///   client-set `x-death`, and quorum queues' own delivery count also counts
///   redeliveries after a crash, which are not handler failures.
/// - No broker plugin is needed (the delayed-message plugin is not in Debian).
///
/// Monitoring timers use the same idea: a `pilot.monitor.tick` is published to
/// `pilot.timer.<day length>` (quorum, x-message-ttl = one pilot day), which
/// dead-letters it on expiry to `pilot.events` with routing key `pilot.monitor.tick`,
/// so it reaches the monitoring queue a day later. Every timer in that queue has the
/// same delay, so none holds back another; the timers live in the broker and survive
/// worker restarts, and their ids are derived, so a doubled tick meets the inbox.
public struct Topology: Sendable {
    public static let exchange = "pilot.events"

    public var stages: [Stage]
    /// Delays of the retry tiers, shortest first.
    public var retryDelays: [Duration]
    /// The length of a pilot day (`PILOT_DAY_SECONDS`).
    public var dayLength: Duration

    public init(
        stages: [Stage] = Stage.all, retryDelays: [Duration] = Topology.defaultRetryDelays,
        dayLength: Duration = .seconds(86_400)
    ) {
        self.stages = stages
        self.retryDelays = retryDelays
        self.dayLength = dayLength
    }

    public static let tickType = "pilot.monitor.tick"

    /// `PILOT_DAY_SECONDS` as a day length: at least 0.1 s, and at most what the timer
    /// queue's `x-message-ttl` can hold (2³² − 1 ms, 49.7 days); nil for anything else
    /// (infinity, NaN and numbers too large to count in milliseconds among it).
    public static func dayLength(seconds: Double) -> Duration? {
        guard seconds.isFinite, seconds >= 0.1, seconds * 1000 <= Double(UInt32.max) else { return nil }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    /// Why `value` of `--day-seconds` was refused, in the words every program prints.
    public static func dayLengthRefusal(_ value: String) -> String {
        "--day-seconds [PILOT_DAY_SECONDS] must be a number of seconds from 0.1 to 4294967 (the timer queue's TTL is in milliseconds), not \"\(value)\""
    }

    /// `pilot.timer.24h`, `pilot.timer.2s`: where day timers wait.
    public var timerQueue: String {
        "pilot.timer." + Self.delayTierName(dayLength).dropFirst("pilot.retry.".count)
    }

    /// Every queue of the topology, for tools.
    public var queues: [String] {
        stages.flatMap { [$0.queue, $0.deadQueue] } + retryDelays.map(Self.delayTierName) + [timerQueue]
    }

    public static let defaultRetryDelays: [Duration] = [.seconds(1), .seconds(10), .seconds(60), .seconds(300)]

    /// `pilot.retry.10s`, `pilot.retry.5m`: exchange and queue of one delay tier.
    public static func delayTierName(_ delay: Duration) -> String {
        let ms = delay.milliseconds
        if ms % 3_600_000 == 0 { return "\(delayTierPrefix)\(ms / 3_600_000)h" }
        if ms % 60_000 == 0 { return "\(delayTierPrefix)\(ms / 60_000)m" }
        if ms % 1000 == 0 { return "\(delayTierPrefix)\(ms / 1000)s" }
        return "\(delayTierPrefix)\(ms)ms"
    }

    /// The start of every retry tier's exchange and queue name.
    public static let delayTierPrefix = "pilot.retry."

    static let quorum: [(String, AMQPFieldValue)] = [("x-queue-type", .string("quorum"))]

    /// Arguments of a delay tier queue.
    static func delayQueueArguments(_ delay: Duration) -> [(String, AMQPFieldValue)] {
        quorum + [
            ("x-message-ttl", .int(delay.milliseconds)),
            ("x-dead-letter-exchange", .string("")),
            // Quorum queues dead-letter at most once unless told otherwise; a retry must not vanish.
            ("x-dead-letter-strategy", .string("at-least-once")),
            ("x-overflow", .string("reject-publish")),
        ]
    }

    /// One exchange, queue or binding of the topology.
    public struct Exchange: Sendable { public var name: String; public var type: String }
    public struct Queue: Sendable { public var name: String; public var arguments: [(String, AMQPFieldValue)] }
    public struct Binding: Sendable { public var queue: String; public var exchange: String; public var routingKey: String }

    /// Everything the topology consists of, in declaration order: the one description that
    /// both `declare(on:)` and `definitions(vhost:)` use.
    public var objects: (exchanges: [Exchange], queues: [Queue], bindings: [Binding]) {
        var exchanges = [Exchange(name: Self.exchange, type: "topic")]
        var queues: [Queue] = []
        var bindings: [Binding] = []
        for stage in stages {
            queues.append(Queue(name: stage.queue, arguments: Self.quorum))
            if stage.bindsRoutingKeys {
                bindings += stage.routingKeys.map { Binding(queue: stage.queue, exchange: Self.exchange, routingKey: $0) }
            }
            queues.append(Queue(name: stage.deadQueue, arguments: Self.quorum))
        }
        for delay in retryDelays {
            let name = Self.delayTierName(delay)
            exchanges.append(Exchange(name: name, type: "fanout"))
            queues.append(Queue(name: name, arguments: Self.delayQueueArguments(delay)))
            bindings.append(Binding(queue: name, exchange: name, routingKey: ""))
        }
        let timerArguments = Self.delayQueueArguments(dayLength).map { name, value in
            name == "x-dead-letter-exchange" ? (name, AMQPFieldValue.string(Self.exchange)) : (name, value)
        } + [("x-dead-letter-routing-key", AMQPFieldValue.string(Self.tickType))]
        queues.append(Queue(name: timerQueue, arguments: timerArguments))
        return (exchanges, queues, bindings)
    }

    /// Declares everything; safe to call again with the same configuration.
    public func declare(on connection: AMQPConnection) throws(AMQPError) {
        let objects = self.objects
        for exchange in objects.exchanges { try connection.declareExchange(exchange.name, type: exchange.type) }
        for queue in objects.queues { try connection.declareQueue(queue.name, arguments: queue.arguments) }
        for binding in objects.bindings {
            try connection.bindQueue(binding.queue, exchange: binding.exchange, routingKey: binding.routingKey)
        }
    }
}

extension Duration {
    /// Whole milliseconds, rounded down.
    public var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
