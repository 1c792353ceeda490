import ArgumentParser
import Contracts
import Foundation
import PilotIntake
import PilotJSON
import PilotRuntime
import PilotStageAPI

struct Publish: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Publish CloudEvents JSON files to pilot.events (routing key = event type), with confirms.",
        discussion: """
            Each file holds one event. A fresh `id` and `time` are filled in when the file omits them. \
            Every event is validated against its schema first; nothing is published if one is invalid.
            """)

    @OptionGroup var broker: BrokerOptions

    @Option(help: "Folder of the event JSON Schemas. [PILOT_SCHEMAS]")
    var schemas = ProcessInfo.processInfo.environment["PILOT_SCHEMAS"] ?? ""

    @Argument(help: "Event files; - reads one event from standard input.")
    var files: [String]

    func run() throws {
        let contracts = try EventFile.contracts(schemas: schemas)
        let events = try files.map { file in
            switch EventFile.check(EventFile.filled(try EventFile.read(file)), against: contracts) {
            case .success(let event): return event
            case .failure(let violation): throw OperatorError("\(file) breaks its contract:\n\(violation)")
            }
        }
        try broker.publishConfirmed(events) { event in
            print("published \(event.type) \(event.id) for thread \(event.subject)")
        }
    }
}

extension BrokerOptions {
    /// Publishes `events` in order to `pilot.events`, each confirmed by the broker before
    /// the next, declaring the topology first so nothing is routed nowhere.
    func publishConfirmed(_ events: [CloudEvent], then done: (CloudEvent) -> Void) throws {
        let connection = try connect()
        try connection.enableConfirms()
        try Topology(dayLength: dayLength).declare(on: connection)
        for event in events {
            try connection.publish(Publication(event: event, timestamp: UInt64(Date().timeIntervalSince1970)))
            try connection.waitForConfirms()
            done(event)
        }
    }
}
