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
            return try AMQPConnection(url: AMQPURL(amqpURL), options: options)
        } catch {
            throw OperatorError("cannot reach the broker: \(error)")
        }
    }
}

extension BrokerOptions {
    /// The management API of the same broker and user.
    func management() throws -> ManagementAPI {
        do {
            return try ManagementAPI(url: managementURL, amqp: try AMQPURL(amqpURL))
        } catch let error as ManagementError {
            throw ValidationError(error.description)
        }
    }
}
