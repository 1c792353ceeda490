import Contracts
import PilotJSON

/// A stage's handlers, one per event type it consumes, registered with the type its
/// `data` decodes to:
///
/// ```swift
/// StageDefinition("monitoring") { stage in
///     stage.on("pilot.metrics", as: PilotMetrics.self) { event, snapshot, context in … }
/// }
/// ```
///
/// A handler is a function of the event, the pilot's snapshot and the context; it returns
/// what should happen and never touches a channel, a file, the store or the clock. The
/// runtime routes by type, loads the snapshot, and carries out the outcome.
public struct StageDefinition: Sendable {
    public let name: String
    public private(set) var routes: [String: Route] = [:]

    public init(_ name: String, _ register: (inout StageDefinition) -> Void = { _ in }) {
        self.name = name
        register(&self)
    }

    /// The event types with a handler, sorted.
    public var types: [String] { routes.keys.sorted() }

    /// Handles events of `type`, their `data` decoded as `Payload` (after the schema check,
    /// so a decoding failure is a bug in the worker's types and is retried, then dead-lettered).
    public mutating func on<Payload: Decodable & Sendable>(
        _ type: String, as payload: Payload.Type, needs: SnapshotNeeds = .pilot,
        _ body: @escaping @Sendable (TypedEvent<Payload>, PilotSnapshot, StageContext) throws -> StageOutcome
    ) {
        precondition(routes[type] == nil, "stage \(name) registers \(type) twice")
        routes[type] = Route(needs: needs) { event, snapshot, context in
            let data = try event.decodeData(Payload.self)
            return try body(TypedEvent(envelope: event, data: data), snapshot, context)
        }
    }

    /// Handles events of `type` as they come, `data` undecoded (diagnostics).
    public mutating func on(
        _ type: String, needs: SnapshotNeeds = .pilot,
        raw body: @escaping @Sendable (CloudEvent, PilotSnapshot, StageContext) throws -> StageOutcome
    ) {
        precondition(routes[type] == nil, "stage \(name) registers \(type) twice")
        routes[type] = Route(needs: needs, handle: body)
    }

    /// One event type's handler, with the envelope only.
    public struct Route: Sendable {
        public let needs: SnapshotNeeds
        public let handle: @Sendable (CloudEvent, PilotSnapshot, StageContext) throws -> StageOutcome

        public init(needs: SnapshotNeeds, handle: @escaping @Sendable (CloudEvent, PilotSnapshot, StageContext) throws -> StageOutcome) {
            self.needs = needs
            self.handle = handle
        }
    }
}

/// An event with its `data` decoded.
public struct TypedEvent<Payload: Sendable>: Sendable {
    public var envelope: CloudEvent
    public var data: Payload

    public init(envelope: CloudEvent, data: Payload) {
        self.envelope = envelope
        self.data = data
    }

    public var id: String { envelope.id }
    /// The thread id.
    public var subject: String { envelope.subject }
    public var type: String { envelope.type }
}
