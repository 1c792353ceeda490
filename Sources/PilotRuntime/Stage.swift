/// A stage of the pilot: one durable queue and the event types routed to it.
public struct Stage: Sendable, Hashable {
    /// Short name used in configuration (`PILOT_STAGES`), logs and metrics, e.g. `agreement`.
    public var name: String
    /// The routing keys (event types) bound to the stage queue.
    public var routingKeys: [String]
    /// False for a stage whose handler does network I/O (delivery): it runs without the
    /// store, so it never holds the host's SQLite write transaction while it waits.
    public var usesStore = true
    /// False for a queue fed only by another stage (a webhook receiver's own queue): its
    /// routing keys are checked on arrival but not bound to `pilot.events`.
    public var bindsRoutingKeys = true
    /// A cap on `PILOT_PREFETCH` for a stage whose handler may block for seconds (a
    /// network peer timing out): a batch is handled in one go without servicing the
    /// connection, so it must stay small enough to finish within the heartbeat.
    public var maxPrefetch: UInt16?

    public init(name: String, routingKeys: [String], usesStore: Bool = true, bindsRoutingKeys: Bool = true) {
        self.name = name
        self.routingKeys = routingKeys
        self.usesStore = usesStore
        self.bindsRoutingKeys = bindsRoutingKeys
    }

    /// `pilot.stage.<name>`, fixed by the external contract.
    public var queue: String { "pilot.stage.\(name)" }
    /// Where messages go that must not be retried, or failed too often.
    public var deadQueue: String { queue + ".dead" }

    /// The five stages of the external contract, in pipeline order.
    public static let all: [Stage] = [
        Stage(name: "agreement", routingKeys: ["pilot.requested"]),
        Stage(name: "kickoff", routingKeys: ["pilot.agreement.generated", "pilot.kickoff.reschedule", "pilot.kickoff.cancel"]),
        Stage(
            name: "monitoring",
            routingKeys: [
                "pilot.signed", "pilot.declined", "pilot.metrics", "pilot.issue", "pilot.feedback",
                "pilot.monitor.tick", "pilot.extended", "pilot.cancelled",
            ]),
        Stage(name: "results", routingKeys: ["pilot.results.requested"]),
        Stage(name: "next-action", routingKeys: ["pilot.results.compiled"]),
    ]

    /// Looks up stages by name; throws a message listing the valid names.
    public static func named(_ names: [String]) throws -> [Stage] {
        try names.map { name in
            guard let stage = all.first(where: { $0.name == name }) else {
                throw ConfigurationError(
                    "unknown stage \"\(name)\"; the stages are \(all.map(\.name).joined(separator: ", "))")
            }
            return stage
        }
    }
}

/// A configuration value that cannot be used, with a message for the operator.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
