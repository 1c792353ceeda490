import ArgumentParser
import PilotAMQP
import PilotOperations

extension BrokerOptions {
    /// Opens a connection or fails with a message an operator can act on.
    func connect() throws -> AMQPConnection {
        do {
            var options = AMQPConnectionOptions()
            options.caFile = caFile.isEmpty ? nil : caFile
            options.connectionName = "pilotctl"
            return try AMQPNodes(amqpURL).connect(options: options).connection
        } catch {
            throw OperatorError("cannot reach the broker: \(error)")
        }
    }
}

extension BrokerOptions {
    /// The management API of the same broker and user.
    func management() throws -> ManagementAPI {
        do {
            // The management API of the first node: any node of a cluster answers for all.
            return try ManagementAPI(url: managementURL, amqp: try AMQPNodes(amqpURL).urls[0])
        } catch let error as ManagementError {
            throw ValidationError(error.description)
        }
    }
}
