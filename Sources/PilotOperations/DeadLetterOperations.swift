import PilotAMQP
import PilotRuntime

/// What `pilotctl dlq list` and `pilotctl dlq replay` do, and the dashboard with them.
public enum DeadLetterOperations {
    /// Up to `limit` dead letters of `stage` that match `filter`, oldest first. Nothing is
    /// removed: the browsing connection is closed, which returns them to the queue.
    public static func list(
        _ stage: Stage, filter: DeadLetterQueue.Filter = .init(), limit: Int = 1000, connect: () throws -> AMQPConnection
    ) throws -> [DeadLetter] {
        let connection = try connect()
        defer { connection.close() }
        return try DeadLetterQueue(stage: stage).browse(connection, filter: filter, limit: limit)
    }

    /// The dead letters of each of `stages`, as `list` reads them, over one connection
    /// (closed at the end, which returns them all to their queues).
    public static func list(
        _ stages: [Stage], limit: Int = 1000, connect: () throws -> AMQPConnection
    ) throws -> [(stage: Stage, letters: [DeadLetter])] {
        let connection = try connect()
        defer { connection.close() }
        return try stages.map { ($0, try DeadLetterQueue(stage: $0).browse(connection, limit: limit)) }
    }

    /// Publishes the matching dead letters back to `pilot.events` (see
    /// `DeadLetterQueue.replay`) on a second connection with confirms; each is removed
    /// only after the broker confirmed its copy. Returns how many were replayed.
    /// - Parameter confirmed: called between a copy's confirm and its dead letter's removal.
    public static func replay(
        _ stage: Stage, filter: DeadLetterQueue.Filter = .init(), limit: Int = 1000,
        connect: () throws -> AMQPConnection, confirmed: (DeadLetter) -> Void = { _ in }
    ) throws -> Int {
        let connection = try connect()
        defer { connection.close() }
        let queue = DeadLetterQueue(stage: stage)
        let letters = try queue.browse(connection, filter: filter, limit: limit)
        let publisher = try connect()
        defer { publisher.close() }
        try publisher.enableConfirms()
        return try queue.replay(letters, from: connection, publisher: publisher, confirmed: confirmed)
    }
}
