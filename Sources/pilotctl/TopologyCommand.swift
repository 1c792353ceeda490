import ArgumentParser
import Foundation
import PilotJSON
import PilotOperations
import PilotRuntime

struct TopologyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topology",
        abstract: "Declare the exchange, queues and policies (idempotent), or export them as RabbitMQ definitions.",
        subcommands: [Apply.self, Export.self])

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the topology as RabbitMQ definitions JSON (for rabbitmqctl import_definitions).")

        @OptionGroup var broker: BrokerOptions

        @Option(help: "Retry delay tiers, as the workers use them. [PILOT_RETRY_DELAYS]")
        var retryDelays = ProcessInfo.processInfo.environment["PILOT_RETRY_DELAYS"] ?? "1s,10s,60s,5m"

        @Option(help: "Virtual host the definitions are for.")
        var vhost = "/"

        func run() throws {
            guard let delays = Duration.list(parsing: retryDelays) else { throw ValidationError("bad --retry-delays") }
            print(Topology(stages: Stage.configured, retryDelays: delays, dayLength: broker.dayLength).definitions(vhost: vhost).serialized())
        }
    }

    struct Apply: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Declare the topology on the broker (AMQP), then set its policies (management API).",
            discussion: """
                Policies cannot be set over AMQP. Without the management API, use --skip-policies and \
                import deploy/rabbitmq/definitions.json instead (rabbitmqctl import_definitions).
                """)

        @OptionGroup var broker: BrokerOptions

        @Option(help: "Retry delay tiers, as the workers use them. [PILOT_RETRY_DELAYS]")
        var retryDelays = ProcessInfo.processInfo.environment["PILOT_RETRY_DELAYS"] ?? "1s,10s,60s,5m"

        @Flag(help: "Declare exchanges, queues and bindings only.")
        var skipPolicies = false

        func run() throws {
            guard let delays = Duration.list(parsing: retryDelays) else { throw ValidationError("bad --retry-delays") }
            let topology = Topology(stages: Stage.configured, retryDelays: delays, dayLength: broker.dayLength)
            let connection = try broker.connect()
            defer { connection.close() }
            try topology.declare(on: connection)
            print("declared \(Topology.exchange), \(topology.stages.count) stage queues with dead-letter queues, \(delays.count) retry tiers")
            guard !skipPolicies else { return }
            let api = try broker.management()
            for policy in topology.policies {
                let body: JSONValue = [
                    "pattern": .string(policy.pattern), "apply-to": .string(policy.applyTo),
                    "priority": .int(Int64(policy.priority)), "definition": .object(policy.definition),
                ]
                do {
                    try api.put(api.path("policies", policy.name), body: body)
                } catch let error as ManagementError {
                    throw OperatorError("""
                        queues declared, but policy \(policy.name) was not set: \(error)
                        Set --management-url, or use --skip-policies and import deploy/rabbitmq/definitions.json.
                        """)
                }
            }
            print("set \(topology.policies.count) policies (delivery limit \(Topology.deliveryLimit), then the stage's .dead queue)")
        }
    }
}
