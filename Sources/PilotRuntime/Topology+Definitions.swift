import PilotAMQP
import PilotJSON

extension Topology {
    /// The topology as RabbitMQ definitions JSON (the format of `rabbitmqctl
    /// import_definitions` and the management API's `/api/definitions`), for brokers
    /// provisioned ahead of the workers.
    public func definitions(vhost: String = "/") -> JSONValue {
        let objects = self.objects
        let exchanges: [JSONValue] = objects.exchanges.map { exchange in
            [
                "name": .string(exchange.name), "vhost": .string(vhost), "type": .string(exchange.type), "durable": true,
                "auto_delete": false, "internal": false, "arguments": [:],
            ]
        }
        let queues: [JSONValue] = objects.queues.map { queue in
            [
                "name": .string(queue.name), "vhost": .string(vhost), "durable": true, "auto_delete": false,
                "arguments": .object(JSONObject(queue.arguments.map { ($0.0, $0.1.json) })),
            ]
        }
        let bindings: [JSONValue] = objects.bindings.map { binding in
            [
                "source": .string(binding.exchange), "vhost": .string(vhost), "destination": .string(binding.queue),
                "destination_type": "queue", "routing_key": .string(binding.routingKey), "arguments": [:],
            ]
        }
        let policies: [JSONValue] = self.policies.map { policy in
            [
                "vhost": .string(vhost), "name": .string(policy.name), "pattern": .string(policy.pattern),
                "apply-to": .string(policy.applyTo), "priority": .int(Int64(policy.priority)),
                "definition": .object(policy.definition),
            ]
        }
        return [
            "exchanges": .array(exchanges), "queues": .array(queues), "bindings": .array(bindings),
            "policies": .array(policies),
        ]
    }
}
