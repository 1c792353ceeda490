import ArgumentParser
import Foundation
import PilotRuntime

struct TopologyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topology",
        abstract: "Declare the exchange, stage queues, dead-letter queues and retry tiers (idempotent).",
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
            print(Topology(retryDelays: delays, dayLength: broker.dayLength).definitions(vhost: vhost).serialized())
        }
    }

    struct Apply: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Declare the topology on the broker.")

        @OptionGroup var broker: BrokerOptions

        @Option(help: "Retry delay tiers, as the workers use them. [PILOT_RETRY_DELAYS]")
        var retryDelays = "1s,10s,60s,5m"

        func run() throws {
            guard let delays = Duration.list(parsing: retryDelays) else { throw ValidationError("bad --retry-delays") }
            let topology = Topology(retryDelays: delays, dayLength: broker.dayLength)
            try topology.declare(on: try broker.connect())
            print("declared \(Topology.exchange), \(topology.stages.count) stage queues with dead-letter queues, \(delays.count) retry tiers")
        }
    }
}
