import ArgumentParser
import Contracts
import Foundation
import PilotJSON
import PilotRuntime
import PilotStageAPI

/// `pilotctl pilot extend|cancel|reschedule|cancel-kickoff`: the operator's changes to a
/// pilot, published as the lifecycle events upstream systems would send, checked against
/// their schemas first. The worker applies each whole or dead-letters it with a sentence.
struct ChangeOptions: ParsableArguments {
    @OptionGroup var broker: BrokerOptions

    @Option(help: "Folder of the event JSON Schemas. [PILOT_SCHEMAS]")
    var schemas = ProcessInfo.processInfo.environment["PILOT_SCHEMAS"] ?? ""

    @Option(help: "Who makes the change, as \"Name <email>\"; kept in the pilot's history. [PILOT_OPERATOR]")
    var by = ProcessInfo.processInfo.environment["PILOT_OPERATOR"] ?? ""

    /// `--by` as a person, or nil when not given.
    func person() throws -> JSONValue? {
        let text = by.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return nil }
        guard text.hasSuffix(">"), let open = text.lastIndex(of: "<") else {
            throw ValidationError("--by must look like \"Dana Whitfield <dana@example.com>\", got \"\(by)\"")
        }
        let name = text[..<open].trimmingCharacters(in: .whitespaces)
        let email = text[text.index(after: open)..<text.index(before: text.endIndex)]
        return ["name": .string(name.isEmpty ? String(email) : name), "email": .string(String(email))]
    }

    /// Someone must own a change that ends or lengthens a pilot.
    func requiredPerson() throws -> JSONValue {
        guard let person = try person() else {
            throw ValidationError("say who makes the change: --by \"Name <email>\" or PILOT_OPERATOR")
        }
        return person
    }

    /// Checks the event against its schema, then publishes it with a confirm.
    func publish(_ type: String, thread: String, data: JSONValue) throws {
        let contracts = try EventFile.contracts(schemas: schemas)
        let document: JSONValue = [
            "specversion": "1.0", "id": .string(UUID().uuidString.lowercased()), "source": "/pilotctl",
            "type": .string(type), "subject": .string(thread), "time": .string(EventTime.string(Date())),
            "datacontenttype": "application/json", "data": data,
        ]
        let event: CloudEvent
        switch EventFile.check(document, against: contracts) {
        case .success(let checked): event = checked
        case .failure(let violation): throw ValidationError("the \(type) event would break its contract:\n" + EventFile.lines(violation).joined(separator: "\n"))
        }
        try broker.publishConfirmed([event]) { _ in }
        print("published \(type) \(event.id) for thread \(thread); `pilotctl pilot show \(thread)` shows it once applied")
    }
}

extension PilotCommand {
    struct Extend: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run an active pilot longer (pilot.extended): the end moves, an amendment goes to the lead.")
        @OptionGroup var change: ChangeOptions
        @Argument(help: "Thread id.") var thread: String
        @Option(help: "Days to add, 1 to 30 (at most 60 days in all).") var days: Int
        @Option(help: "Why; written into the amendment.") var reason: String

        func run() throws {
            try change.publish("pilot.extended", thread: thread, data: [
                "days": .int(Int64(days)), "reason": .string(reason), "requested_by": try change.requiredPerson(),
            ])
        }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop a pilot now (pilot.cancelled): timers stop, the lead is told, the deal is lost.")
        @OptionGroup var change: ChangeOptions
        @Argument(help: "Thread id.") var thread: String
        @Option(help: "Why; copied into deal.lost.") var reason: String

        func run() throws {
            try change.publish("pilot.cancelled", thread: thread, data: [
                "reason": .string(reason), "cancelled_by": try change.requiredPerson(),
            ])
        }
    }

    struct Reschedule: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move the kickoff (pilot.kickoff.reschedule): same UID, SEQUENCE one higher.")
        @OptionGroup var change: ChangeOptions
        @Argument(help: "Thread id.") var thread: String
        @Option(help: "New start, RFC 3339 (2026-12-02T15:00:00Z); absent: the next free business slot.") var start: String?
        @Option(help: "Why; named in the e-mail.") var reason: String?

        func run() throws {
            var data = JSONObject()
            if let start { data["start"] = .string(start) }
            if let reason { data["reason"] = .string(reason) }
            if let person = try change.person() { data["requested_by"] = person }
            try change.publish("pilot.kickoff.reschedule", thread: thread, data: .object(data))
        }
    }

    struct CancelKickoff: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cancel-kickoff",
            abstract: "Call the kickoff meeting off (pilot.kickoff.cancel): METHOD:CANCEL to every attendee.")
        @OptionGroup var change: ChangeOptions
        @Argument(help: "Thread id.") var thread: String
        @Option(help: "Why; named in the e-mail.") var reason: String?

        func run() throws {
            var data = JSONObject()
            if let reason { data["reason"] = .string(reason) }
            if let person = try change.person() { data["requested_by"] = person }
            try change.publish("pilot.kickoff.cancel", thread: thread, data: .object(data))
        }
    }
}
