import ArgumentParser
import PilotAMQP

extension BrokerOptions {
    /// Opens a connection or fails with a message an operator can act on.
    func connect() throws -> AMQPConnection {
        do {
            var options = AMQPConnectionOptions()
            options.caFile = caFile.isEmpty ? nil : caFile
            options.connectionName = "pilotctl"
            return try AMQPConnection(url: AMQPURL(amqpURL), options: options)
        } catch {
            throw ValidationError("cannot reach the broker: \(error)")
        }
    }
}
