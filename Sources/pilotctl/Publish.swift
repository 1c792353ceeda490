import ArgumentParser
import Contracts
import Foundation
import PilotIntake
import PilotJSON
import PilotRuntime

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

    @Argument(help: "Event files.")
    var files: [String]

    func run() throws {
        let contracts = try Contracts.load(explicit: schemas)
        let events = try files.map { file in
            do {
                return try IncomingEvent.check(try load(file), contracts: contracts)
            } catch let error as IncomingEventError {
                throw OperatorError("\(file) breaks its contract:\n\(error)")
            }
        }
        let connection = try broker.connect()
        try connection.enableConfirms()
        try Topology(dayLength: broker.dayLength).declare(on: connection)
        for event in events {
            try connection.publish(Publication(event: event, timestamp: UInt64(Date().timeIntervalSince1970)))
            try connection.waitForConfirms()
            print("published \(event.type) \(event.id) for thread \(event.subject)")
        }
    }

    /// The file's JSON, with a fresh `id` and `time` where it has none.
    private func load(_ file: String) throws -> JSONValue {
        guard let data = FileManager.default.contents(atPath: file) else { throw OperatorError("cannot read \(file)") }
        do {
            guard var object = try JSONValue(parsing: Array(data)).object else { throw OperatorError("\(file): not a JSON object") }
            if object["id"] == nil { object["id"] = .string(UUID().uuidString.lowercased()) }
            if object["time"] == nil { object["time"] = .string(Date().formatted(.iso8601)) }
            return .object(object)
        } catch let error as JSONParseError {
            throw OperatorError("\(file): \(error)")
        }
    }
}
