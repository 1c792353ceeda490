import ArgumentParser
import Foundation
import PilotJSON
import PilotRuntime

struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print events flowing through pilot.events, through a temporary queue that is removed on exit.")

    @OptionGroup var broker: BrokerOptions

    @Option(help: "Topic pattern of the event types to show.")
    var pattern = "#"

    @Option(help: "Stop after this many events (0: never).")
    var count = 0

    @Option(help: "Stop after this many seconds (0: never).")
    var timeout: Double = 0

    @Option(help: "Only events of this thread id.")
    var thread: String?

    func run() throws {
        let connection = try broker.connect()
        try Topology(dayLength: broker.dayLength).declare(on: connection)
        let queue = "pilotctl.watch.\(UUID().uuidString.prefix(8).lowercased())"
        try connection.declareQueue(queue, transient: true)
        try connection.bindQueue(queue, exchange: Topology.exchange, routingKey: pattern)
        try connection.consume(queue: queue, prefetch: 100)
        print("watching pilot.events (\(pattern)); Ctrl-C to stop")
        let deadline = timeout > 0 ? Date().addingTimeInterval(timeout) : .distantFuture
        var seen = 0
        while Date() < deadline, count == 0 || seen < count {
            guard let delivery = try connection.nextDelivery(timeout: 0.5) else { continue }
            try connection.ack(delivery.deliveryTag)
            let event = try? JSONValue(parsing: delivery.body)
            let subject = event?["subject"]?.string ?? "?"
            if let thread, thread != subject { continue }
            seen += 1
            let data = event?["data"].map { String($0.serialized().prefix(160)) } ?? "(not JSON)"
            print("\(delivery.routingKey)  thread=\(subject)  id=\(event?["id"]?.string ?? "?")  \(data)")
        }
        if count > 0, seen < count { throw ExitCode(3) }
    }
}
