import Foundation
import PilotAMQP
import PilotOperations
import PilotRuntime

/// How the dashboard reaches the broker: the same nodes and options as the publishers,
/// a short-lived connection per look (rabbitmq-c connections are not shared across threads)
/// to the first node that answers.
struct BrokerAccess: Sendable {
    let broker: AMQPNodes
    let options: AMQPConnectionOptions
    let management: ManagementAPI?
    let stages: [Stage]
    let dayLength: Duration

    func connect() throws -> AMQPConnection {
        var options = options
        options.connectionName = "pilot-web dashboard"
        return try broker.connect(options: options).connection
    }

    /// The topology's queues, as `pilotctl queues` lists them.
    var queues: [String] { Topology(stages: stages, dayLength: dayLength).queues }
}
