import ArgumentParser
import Foundation
import PilotRuntime

@main
struct PilotCtl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pilotctl",
        abstract: "Publish pilot events, inspect queues, dead letters and pilots, and apply the topology.",
        subcommands: [Publish.self, Validate.self, Watch.self, QueuesCommand.self, DeadLetterCommand.self, PilotCommand.self, TopologyCommand.self, StoreCommand.self])
}

/// Options every subcommand shares.
struct BrokerOptions: ParsableArguments {
    @Option(help: "Broker URL; amqps:// connects with TLS. [PILOT_AMQP_URL]")
    var amqpURL = ProcessInfo.processInfo.environment["PILOT_AMQP_URL"] ?? "amqp://guest:guest@127.0.0.1:5672/%2f"

    @Option(help: "CA bundle for amqps://. [PILOT_CA_FILE]")
    var caFile = ProcessInfo.processInfo.environment["PILOT_CA_FILE"] ?? ""

    @Option(help: "Length of a pilot day in seconds, as the workers use it (names the timer queue). [PILOT_DAY_SECONDS]")
    var daySeconds = Double(ProcessInfo.processInfo.environment["PILOT_DAY_SECONDS"] ?? "") ?? 86_400

    @Option(help: "RabbitMQ management API, for unacked counts, rates and policies (default http://<AMQP host>:15672; same user). [PILOT_MANAGEMENT_URL]")
    var managementURL = ProcessInfo.processInfo.environment["PILOT_MANAGEMENT_URL"] ?? ""

    var dayLength: Duration { Topology.dayLength(seconds: daySeconds) ?? .seconds(86_400) }

    func validate() throws {
        guard Topology.dayLength(seconds: daySeconds) != nil else {
            throw ValidationError(Topology.dayLengthRefusal(String(daySeconds)))
        }
    }
}

/// A failure while doing the work (the broker is down, no such pilot), as opposed to a
/// mistake in the command line: printed without the usage text, exit status 1.
struct OperatorError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
