import PilotAMQP
import PilotJSON
import PilotRuntime

/// Depth, unacked, consumers and rates of the topology's queues, as `pilotctl queues`
/// and the dashboard show them: from the management API when it answers, otherwise from
/// AMQP passive declares (ready and consumers only).
public enum QueueDepths {
    /// One queue's figures; nil where the source cannot tell.
    public struct Row: Sendable, Equatable {
        public var queue: String
        /// False when the queue is not declared (run `pilotctl topology apply`).
        public var exists = true
        public var ready: Int64?
        public var unacked: Int64?
        public var consumers: Int64?
        public var publishRate: Double?
        public var ackRate: Double?

        public init(queue: String, exists: Bool = true, ready: Int64? = nil, unacked: Int64? = nil,
            consumers: Int64? = nil, publishRate: Double? = nil, ackRate: Double? = nil)
        {
            self.queue = queue
            self.exists = exists
            self.ready = ready
            self.unacked = unacked
            self.consumers = consumers
            self.publishRate = publishRate
            self.ackRate = ackRate
        }
    }

    /// Where the rows came from.
    public enum Source: Sendable, Equatable {
        case management
        /// The management API did not answer, for the reason given.
        case passiveDeclares(reason: String)
    }

    /// The rows of `queues`, in that order, and where they came from.
    /// - Parameters:
    ///   - management: the API, or nil when it could not even be configured.
    ///   - connect: opens an AMQP connection, used only when the API does not answer.
    public static func read(
        _ queues: [String], management: ManagementAPI?, connect: () throws -> AMQPConnection
    ) throws -> (rows: [Row], source: Source) {
        do {
            guard let management else { throw ManagementError("no management API configured") }
            return (try fromManagement(queues, api: management), .management)
        } catch let error as ManagementError {
            return (try fromPassiveDeclares(queues, connect: connect), .passiveDeclares(reason: error.description))
        }
    }

    static func fromManagement(_ queues: [String], api: ManagementAPI) throws -> [Row] {
        let listed = try api.get(api.path("queues")).array ?? []
        var byName: [String: JSONValue] = [:]
        for queue in listed { if let name = queue["name"]?.string { byName[name] = queue } }
        return queues.map { name in
            guard let queue = byName[name] else { return Row(queue: name, exists: false) }
            let stats = queue["message_stats"]
            return Row(
                queue: name, ready: queue["messages_ready"]?.integer, unacked: queue["messages_unacknowledged"]?.integer,
                consumers: queue["consumers"]?.integer, publishRate: stats?["publish_details"]?["rate"]?.number ?? 0,
                ackRate: stats?["ack_details"]?["rate"]?.number ?? 0)
        }
    }

    static func fromPassiveDeclares(_ queues: [String], connect: () throws -> AMQPConnection) throws -> [Row] {
        var connection = try connect()
        defer { connection.close() }
        var rows: [Row] = []
        for queue in queues {
            switch Result(catching: { () throws(AMQPError) in try connection.declareQueue(queue, passive: true) }) {
            case .success(let counts):
                rows.append(Row(queue: queue, ready: Int64(counts.messages), consumers: Int64(counts.consumers)))
            case .failure(let error) where error.isNotFound:
                rows.append(Row(queue: queue, exists: false))
                // The broker closes the channel on a 404.
                connection.close()
                connection = try connect()
            case .failure(let error):
                throw error
            }
        }
        return rows
    }
}
